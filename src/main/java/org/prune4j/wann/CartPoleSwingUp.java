package org.prune4j.wann;

import java.util.random.RandomGenerator;

/**
 * The cart-pole swing-up of the WANN paper: a uniform pole of length {@code poleLength} hinged
 * on a cart that moves along a track, starting near the hanging position. Each step the
 * controller pushes the cart with a force in [-1, 1] times {@code maxForce}; the episode ends
 * when the cart leaves the track or after {@code steps} steps. The reward per step is
 * {@code (cos theta + 1) / 2 * cos(x / trackHalfWidth * pi / 2)}: 1 with the pole upright over the
 * track's centre, 0 hanging or at the track's end.
 *
 * <p>The equations of motion are the Lagrangian ones for a uniform rod on a cart with viscous
 * friction {@code friction} on the cart, theta = 0 upright and positive theta leaning the rod
 * towards negative x; they are integrated by explicit Euler steps of {@code dt} (position from
 * the old velocity, velocity from the old state's accelerations), as the paper's environment
 * does. The
 * constants of {@link #PAPER} are that environment's.
 */
public record CartPoleSwingUp(double gravity, double cartMass, double poleMass, double poleLength, double maxForce,
        double friction, double dt, int steps, double trackHalfWidth) {

    public static final CartPoleSwingUp PAPER = new CartPoleSwingUp(9.82, 0.5, 0.5, 0.6, 10.0, 0.1, 0.01, 1000, 2.4);

    public CartPoleSwingUp {
        if (!(cartMass > 0 && poleMass > 0 && poleLength > 0 && dt > 0 && trackHalfWidth > 0 && gravity >= 0
                && maxForce >= 0 && friction >= 0) || steps < 1) {
            throw new IllegalArgumentException("cart-pole constants must be positive (gravity, force and friction 0 "
                    + "or more) and steps at least 1");
        }
    }

    /** The state (x, x', theta, theta') of one episode. */
    public static final class State {
        public double x, xDot, theta, thetaDot;

        public State(double x, double xDot, double theta, double thetaDot) {
            this.x = x;
            this.xDot = xDot;
            this.theta = theta;
            this.thetaDot = thetaDot;
        }

        /** What the controller sees: x, x', cos theta, sin theta, theta'. */
        public void observe(double[] into) {
            into[0] = x;
            into[1] = xDot;
            into[2] = Math.cos(theta);
            into[3] = Math.sin(theta);
            into[4] = thetaDot;
        }
    }

    /** A start near hanging: (0, 0, pi, 0) plus N(0, 0.2^2) on each coordinate, as in the paper. */
    public State start(RandomGenerator rng) {
        return new State(0.2 * rng.nextGaussian(), 0.2 * rng.nextGaussian(), Math.PI + 0.2 * rng.nextGaussian(),
                0.2 * rng.nextGaussian());
    }

    /** The accelerations (x'', theta'') at {@code s} under {@code force} newtons. */
    public double[] accelerations(State s, double force) {
        double sin = Math.sin(s.theta), cos = Math.cos(s.theta);
        double total = cartMass + poleMass, m = poleMass, l = poleLength;
        double push = force - friction * s.xDot;
        double denominator = 4 * total - 3 * m * cos * cos;
        double xAcc = (-2 * m * l * s.thetaDot * s.thetaDot * sin + 3 * m * gravity * sin * cos + 4 * push)
                / denominator;
        double thetaAcc = (-3 * m * l * s.thetaDot * s.thetaDot * sin * cos + 6 * total * gravity * sin
                + 6 * push * cos) / (l * denominator);
        return new double[] {xAcc, thetaAcc};
    }

    /** Advances {@code s} by one step under {@code action} in [-1, 1] (clipped); returns false when the cart left the track. */
    public boolean step(State s, double action) {
        double a = Double.isNaN(action) ? 0 : Math.max(-1, Math.min(1, action));
        double[] acc = accelerations(s, a * maxForce);
        s.x += s.xDot * dt;
        s.theta += s.thetaDot * dt;
        s.xDot += acc[0] * dt;
        s.thetaDot += acc[1] * dt;
        return s.x >= -trackHalfWidth && s.x <= trackHalfWidth;
    }

    public double reward(State s) {
        return (Math.cos(s.theta) + 1) / 2 * Math.cos(s.x / trackHalfWidth * Math.PI / 2);
    }

    /** The total reward of one episode from {@code s} under {@code net} with {@code weights}. */
    public double episode(Network net, double[] weights, State s) {
        double[] obs = new double[5], out = new double[1], scratch = net.scratch();
        double total = 0;
        for (int t = 0; t < steps; t++) {
            s.observe(obs);
            net.evaluate(obs, weights, scratch, out);
            boolean onTrack = step(s, out[0]);
            total += reward(s);
            if (!onTrack) {
                break;
            }
        }
        return total;
    }
}
