package org.prune4j.wann;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * NSGA-II ordering (Deb et al. 2002) of individuals scored on several objectives, all to be
 * maximised: first by non-dominated front, then, within a front, by crowding distance (the
 * more isolated first, and the front's extremes before anything else), so selection keeps the
 * front spread out. Ties keep the individuals' original order, which makes the ranking
 * deterministic.
 */
public final class ParetoRank {
    private ParetoRank() {
    }

    /** Whether {@code a} is at least as good as {@code b} everywhere and better somewhere. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] < b[k]) {
                return false;
            }
            better |= a[k] > b[k];
        }
        return better;
    }

    /** Each individual's front: 0 for the non-dominated ones, 1 for those dominated only by front 0, ... */
    public static int[] fronts(double[][] objectives) {
        int n = objectives.length;
        int[] front = new int[n];
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dominates.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && dominates(objectives[i], objectives[j])) {
                    dominates.get(i).add(j);
                } else if (i != j && dominates(objectives[j], objectives[i])) {
                    dominatedBy[i]++;
                }
            }
        }
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (dominatedBy[i] == 0) {
                current.add(i);
            }
        }
        int level = 0;
        while (!current.isEmpty()) {
            List<Integer> next = new ArrayList<>();
            for (int i : current) {
                front[i] = level;
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) {
                        next.add(j);
                    }
                }
            }
            current = next;
            level++;
        }
        return front;
    }

    /** Indices of the individuals, best first. */
    public static int[] order(double[][] objectives) {
        int n = objectives.length;
        for (double[] o : objectives) {
            for (double v : o) {
                if (Double.isNaN(v)) {
                    throw new IllegalArgumentException("an objective is NaN; score failures as a finite worst value");
                }
            }
        }
        int[] front = fronts(objectives);
        double[] crowding = new double[n];
        int fronts = Arrays.stream(front).max().orElse(-1) + 1;
        for (int f = 0; f < fronts; f++) {
            final int level = f;
            Integer[] members = java.util.stream.IntStream.range(0, n).filter(i -> front[i] == level).boxed()
                    .toArray(Integer[]::new);
            for (int k = 0; k < (n == 0 ? 0 : objectives[0].length); k++) {
                final int obj = k;
                Integer[] sorted = members.clone();
                Arrays.sort(sorted, Comparator.comparingDouble(i -> objectives[i][obj]));
                double lo = objectives[sorted[0]][k], hi = objectives[sorted[sorted.length - 1]][k];
                crowding[sorted[0]] = Double.POSITIVE_INFINITY;
                crowding[sorted[sorted.length - 1]] = Double.POSITIVE_INFINITY;
                if (hi > lo) {
                    for (int s = 1; s < sorted.length - 1; s++) {
                        crowding[sorted[s]] += (objectives[sorted[s + 1]][k] - objectives[sorted[s - 1]][k])
                                / (hi - lo);
                    }
                }
            }
        }
        Integer[] idx = java.util.stream.IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.<Integer>comparingInt(i -> front[i])
                .thenComparing(i -> -crowding[i]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }
}
