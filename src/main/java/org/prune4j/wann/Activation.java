package org.prune4j.wann;

import java.util.Locale;

/**
 * The activation functions a node can take: the set the WANN paper draws from (linear, step,
 * sine, cosine, Gaussian, tanh, sigmoid, inverse, absolute value, ReLU). The periodic ones take
 * {@code pi x} so that one period spans the shared weights' range of about [-2, 2].
 */
public enum Activation {
    LINEAR {
        @Override
        public double apply(double x) {
            return x;
        }
    },
    STEP {
        @Override
        public double apply(double x) {
            return x > 0 ? 1 : 0;
        }
    },
    SIN {
        @Override
        public double apply(double x) {
            return Math.sin(Math.PI * x);
        }
    },
    COS {
        @Override
        public double apply(double x) {
            return Math.cos(Math.PI * x);
        }
    },
    GAUSSIAN {
        @Override
        public double apply(double x) {
            return Math.exp(-0.5 * x * x);
        }
    },
    TANH {
        @Override
        public double apply(double x) {
            return Math.tanh(x);
        }
    },
    SIGMOID {
        @Override
        public double apply(double x) {
            return 1 / (1 + Math.exp(-x));
        }
    },
    INVERSE {
        @Override
        public double apply(double x) {
            return -x;
        }
    },
    ABS {
        @Override
        public double apply(double x) {
            return Math.abs(x);
        }
    },
    RELU {
        @Override
        public double apply(double x) {
            return x > 0 ? x : 0;
        }
    };

    public abstract double apply(double x);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
