package org.prune4j.wann;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The swing-up's physics against the rod-on-a-cart Lagrangian, derived here independently of
 * the closed form in the code: with theta = 0 upright and the rod's centre at
 * (x - L/2 sin theta, L/2 cos theta),
 * T = 1/2 M x'^2 - 1/2 m L x' theta' cos theta + 1/6 m L^2 theta'^2 and V = 1/2 m g L cos theta.
 */
class CartPoleSwingUpTest {
    private static final CartPoleSwingUp P = CartPoleSwingUp.PAPER;

    @Test
    void accelerationsSolveTheLagrangianEquations() {
        SplittableRandom rng = new SplittableRandom(1);
        double m = P.poleMass(), total = P.cartMass() + m, l = P.poleLength(), g = P.gravity();
        for (int t = 0; t < 100; t++) {
            var s = new CartPoleSwingUp.State(rng.nextDouble(-2, 2), rng.nextDouble(-3, 3), rng.nextDouble(-7, 7),
                    rng.nextDouble(-9, 9));
            double force = rng.nextDouble(-10, 10);
            double c = Math.cos(s.theta), sn = Math.sin(s.theta);
            // mass matrix [[a, b], [b, d]] times (x'', theta'') = (e, f)
            double a = total, b = -0.5 * m * l * c, d = m * l * l / 3;
            double e = force - P.friction() * s.xDot - 0.5 * m * l * s.thetaDot * s.thetaDot * sn;
            double f = 0.5 * m * g * l * sn;
            double det = a * d - b * b;
            double[] acc = P.accelerations(s, force);
            assertEquals((e * d - b * f) / det, acc[0], 1e-9 * (1 + Math.abs(acc[0])));
            assertEquals((a * f - b * e) / det, acc[1], 1e-9 * (1 + Math.abs(acc[1])));
        }
    }

    private static double energy(CartPoleSwingUp p, CartPoleSwingUp.State s) {
        double m = p.poleMass(), total = p.cartMass() + m, l = p.poleLength();
        return 0.5 * total * s.xDot * s.xDot - 0.5 * m * l * s.xDot * s.thetaDot * Math.cos(s.theta)
                + m * l * l * s.thetaDot * s.thetaDot / 6 + 0.5 * m * p.gravity() * l * Math.cos(s.theta);
    }

    private static double momentum(CartPoleSwingUp p, CartPoleSwingUp.State s) {
        return (p.cartMass() + p.poleMass()) * s.xDot - 0.5 * p.poleMass() * p.poleLength() * s.thetaDot
                * Math.cos(s.theta);
    }

    @Test
    void withoutFrictionOrForceEnergyAndMomentumAreConserved() {
        CartPoleSwingUp free = new CartPoleSwingUp(9.82, 0.5, 0.5, 0.6, 10, 0, 1e-5, 1, 1e9);
        var s = new CartPoleSwingUp.State(0, 0.3, 2.0, 1.5);
        double e0 = energy(free, s), p0 = momentum(free, s);
        for (int i = 0; i < 100_000; i++) {
            free.step(s, 0);
        }
        assertEquals(e0, energy(free, s), 1e-3 * Math.abs(e0) + 1e-4);
        assertEquals(p0, momentum(free, s), 1e-3);
    }

    @Test
    void rewardIsOneUprightInTheMiddleAndZeroHanging() {
        assertEquals(1, P.reward(new CartPoleSwingUp.State(0, 0, 0, 0)), 1e-15);
        assertEquals(0, P.reward(new CartPoleSwingUp.State(0, 0, Math.PI, 0)), 1e-15);
        assertEquals(0, P.reward(new CartPoleSwingUp.State(P.trackHalfWidth(), 0, 0, 0)), 1e-15);
    }

    @Test
    void anEpisodeEndsWhenTheCartLeavesTheTrack() {
        // a linear output of 100 x bias, clipped to a push of +1, drives the cart off the track
        Genome g = Genome.initial(5, 1, Activation.LINEAR, 0, new SplittableRandom(1));
        java.util.List<ConnectionGene> conns = new java.util.ArrayList<>(g.connections());
        conns.set(5, new ConnectionGene(5, 5, 6, true));
        Network net = new Network(new Genome(g.nodes(), conns));
        var s = new CartPoleSwingUp.State(0, 0, Math.PI, 0);
        double reward = P.episode(net, net.shared(100), s);
        // it stops on the first step past the edge: no further than one step's travel beyond it
        assertEquals(true, s.x > P.trackHalfWidth());
        assertEquals(true, s.x <= P.trackHalfWidth() + s.xDot * P.dt() + 1e-12,
                "the episode ran on after leaving the track: x = " + s.x);
        assertEquals(true, reward < 100, "reward " + reward);
    }
}
