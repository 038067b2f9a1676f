package org.prune4j.wann;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A drawing of a genome's enabled wiring as SVG: one column per layer, inputs on the left and
 * outputs on the right, each computed node labelled with its activation. Inputs that feed
 * nothing are left out (an image task has hundreds); the caption says how many.
 */
public final class TopologySvg {
    private TopologySvg() {
    }

    public static String draw(Genome g, String title) {
        Map<Integer, Integer> layer = g.layers();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (ConnectionGene c : g.connections()) {
            if (c.enabled()) {
                used.add(c.from());
                used.add(c.to());
            }
        }
        TreeMap<Integer, List<NodeGene>> columns = new TreeMap<>();
        int hiddenInputs = 0;
        for (NodeGene n : g.nodes()) {
            if (n.isSource() && !used.contains(n.id())) {
                hiddenInputs++;
                continue;
            }
            columns.computeIfAbsent(layer.get(n.id()), k -> new ArrayList<>()).add(n);
        }
        int tallest = columns.values().stream().mapToInt(List::size).max().orElse(1);
        double width = 160 + 140 * Math.max(1, columns.size() - 1), height = 90 + 26 * tallest;
        Map<Integer, double[]> at = new HashMap<>();
        int col = 0;
        for (List<NodeGene> nodes : columns.values()) {
            nodes.sort((a, b) -> Integer.compare(a.id(), b.id()));
            for (int i = 0; i < nodes.size(); i++) {
                double y = 60 + (height - 90) * (i + 0.5) / nodes.size();
                at.put(nodes.get(i).id(), new double[] {80 + 140 * col, y});
            }
            col++;
        }
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" "
                        + "font-size=\"10\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                        + "<text x=\"10\" y=\"20\" font-size=\"13\">%s</text>\n<text x=\"10\" y=\"38\">%d connections, "
                        + "%d hidden nodes; %d unconnected inputs not drawn</text>\n", width, height, escape(title),
                g.enabledConnectionCount(), g.hiddenCount(), hiddenInputs));
        for (ConnectionGene c : g.connections()) {
            if (c.enabled()) {
                double[] a = at.get(c.from()), b = at.get(c.to());
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"#888\" stroke-width=\"0.7\"/>\n", a[0], a[1], b[0], b[1]));
            }
        }
        for (NodeGene n : g.nodes()) {
            double[] p = at.get(n.id());
            if (p == null) {
                continue;
            }
            String fill = switch (n.kind()) {
                case INPUT -> "#9ecae1";
                case BIAS -> "#dddddd";
                case OUTPUT -> "#fdae6b";
                case HIDDEN -> "#a1d99b";
            };
            String label = switch (n.kind()) {
                case INPUT -> "in " + n.id();
                case BIAS -> "bias";
                default -> n.activation().label();
            };
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"%s\" stroke=\"#333\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", p[0], p[1], fill, p[0] + 9, p[1] + 3, label));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
