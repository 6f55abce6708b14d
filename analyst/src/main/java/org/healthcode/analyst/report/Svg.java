package org.healthcode.analyst.report;

import java.util.List;
import java.util.Locale;

/** Small SVG charts drawn as text: a line chart, paired stacked bars, a sparkline and horizontal bars. */
final class Svg {
    /** One line of a line chart. */
    record Series(String label, String colour, boolean dashed, long[] values) {}

    /** One stacked bar segment's colour and label. */
    record Segment(String label, String colour) {}

    private static final int W = 760;
    private static final int H = 260;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 40;

    private Svg() {}

    static String lineChart(String title, List<String> xLabels, List<Series> series) {
        long max = 1;
        for (Series s : series) {
            for (long v : s.values()) {
                max = Math.max(max, v);
            }
        }
        StringBuilder b = open(title, W, H + 24);
        axes(b, xLabels, max, false);
        int n = xLabels.size();
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < n; i++) {
                pts.append(fmt(x(i, n)))
                        .append(',')
                        .append(fmt(y(s.values()[i], max)))
                        .append(' ');
            }
            b.append("<polyline fill=\"none\" stroke=\"")
                    .append(s.colour())
                    .append("\" stroke-width=\"2\"")
                    .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "")
                    .append(" points=\"")
                    .append(pts.toString().trim())
                    .append("\"><title>")
                    .append(Html.esc(s.label()))
                    .append("</title></polyline>\n");
        }
        legend(
                b,
                series.stream()
                        .map(s -> new Segment(s.label() + (s.dashed() ? " (dashed)" : ""), s.colour()))
                        .toList());
        return b.append("</svg>\n").toString();
    }

    /**
     * Per x value two stacked bars, A (solid) and B (lighter): {@code a[i][k]}, {@code b[i][k]} persons of segment k.
     */
    static String pairedStackedBars(
            String title, List<String> xLabels, List<Segment> segments, long[][] a, long[][] b) {
        long max = 1;
        for (int i = 0; i < xLabels.size(); i++) {
            max = Math.max(max, Math.max(sum(a[i]), sum(b[i])));
        }
        StringBuilder s = open(title, W, H + 24 + 18 * ((segments.size() + 3) / 4));
        axes(s, xLabels, max, true);
        int n = xLabels.size();
        double slot = (W - LEFT - RIGHT) / (double) Math.max(n, 1);
        double bar = Math.max(1, slot * 0.38);
        for (int i = 0; i < n; i++) {
            double x0 = LEFT + i * slot + slot * 0.5 - bar - 0.5;
            bars(s, x0, bar, a[i], segments, max, 1.0, xLabels.get(i) + " A");
            bars(s, x0 + bar + 1, bar, b[i], segments, max, 0.5, xLabels.get(i) + " B");
        }
        legend(s, segments);
        return s.append("</svg>\n").toString();
    }

    static String sparkline(long[] a, long[] b) {
        long max = 1;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.max(a[i], b[i]));
        }
        int w = 140;
        int h = 28;
        StringBuilder s = new StringBuilder("<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(h)
                .append("\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" role=\"img\">");
        for (int side = 0; side < 2; side++) {
            long[] v = side == 0 ? a : b;
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                double x = v.length == 1 ? w / 2.0 : 2 + i * (w - 4) / (double) (v.length - 1);
                double y = h - 2 - v[i] * (h - 4) / (double) max;
                pts.append(fmt(x)).append(',').append(fmt(y)).append(' ');
            }
            s.append("<polyline fill=\"none\" stroke=\"")
                    .append(side == 0 ? "#333" : "#d9480f")
                    .append("\" stroke-width=\"1.5\"")
                    .append(side == 0 ? "" : " stroke-dasharray=\"3 2\"")
                    .append(" points=\"")
                    .append(pts.toString().trim())
                    .append("\"/>");
        }
        return s.append("</svg>").toString();
    }

    private static void bars(
            StringBuilder s,
            double x,
            double width,
            long[] values,
            List<Segment> segments,
            long max,
            double opacity,
            String label) {
        double base = H - BOTTOM;
        for (int k = 0; k < values.length; k++) {
            if (values[k] == 0) {
                continue;
            }
            double h = values[k] * (H - BOTTOM - TOP) / (double) max;
            base -= h;
            s.append("<rect x=\"")
                    .append(fmt(x))
                    .append("\" y=\"")
                    .append(fmt(base))
                    .append("\" width=\"")
                    .append(fmt(width))
                    .append("\" height=\"")
                    .append(fmt(h))
                    .append("\" fill=\"")
                    .append(segments.get(k).colour())
                    .append("\" fill-opacity=\"")
                    .append(opacity)
                    .append("\"><title>")
                    .append(Html.esc(label + ": " + segments.get(k).label() + " " + values[k]))
                    .append("</title></rect>");
        }
        s.append('\n');
    }

    private static StringBuilder open(String title, int w, int h) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(h)
                .append("\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" role=\"img\">")
                .append("<title>")
                .append(Html.esc(title))
                .append("</title>\n");
    }

    /** Grid lines with values, and x labels under the points (or, for bars, under the middle of each slot). */
    private static void axes(StringBuilder b, List<String> xLabels, long max, boolean slots) {
        int n = xLabels.size();
        b.append("<g font-size=\"11\" fill=\"#555\">");
        for (int t = 0; t <= 4; t++) {
            long v = Math.round(max * t / 4.0);
            double y = y(v, max);
            b.append("<line x1=\"")
                    .append(LEFT)
                    .append("\" x2=\"")
                    .append(W - RIGHT)
                    .append("\" y1=\"")
                    .append(fmt(y))
                    .append("\" y2=\"")
                    .append(fmt(y))
                    .append("\" stroke=\"#e5e5e5\"/>")
                    .append("<text x=\"")
                    .append(LEFT - 6)
                    .append("\" y=\"")
                    .append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(String.format(Locale.ROOT, "%,d", v))
                    .append("</text>");
        }
        int every = Math.max(1, (int) Math.ceil(n / 12.0));
        for (int i = 0; i < n; i += every) {
            double x = slots ? LEFT + (i + 0.5) * (W - LEFT - RIGHT) / (double) n : x(i, n);
            b.append("<text x=\"")
                    .append(fmt(x))
                    .append("\" y=\"")
                    .append(H - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\">")
                    .append(Html.esc(xLabels.get(i)))
                    .append("</text>");
        }
        b.append("</g>\n");
    }

    private static void legend(StringBuilder b, List<Segment> items) {
        int perRow = 4;
        for (int i = 0; i < items.size(); i++) {
            int x = LEFT + (i % perRow) * 175;
            int y = H + (i / perRow) * 18;
            b.append("<rect x=\"")
                    .append(x)
                    .append("\" y=\"")
                    .append(y - 9)
                    .append("\" width=\"12\" height=\"10\" fill=\"")
                    .append(items.get(i).colour())
                    .append("\"/><text x=\"")
                    .append(x + 16)
                    .append("\" y=\"")
                    .append(y)
                    .append("\" font-size=\"11\" fill=\"#333\">")
                    .append(Html.esc(items.get(i).label()))
                    .append("</text>");
        }
        b.append('\n');
    }

    private static double x(int i, int n) {
        return n <= 1 ? (LEFT + W - RIGHT) / 2.0 : LEFT + 8 + i * (W - LEFT - RIGHT - 16) / (double) (n - 1);
    }

    private static double y(long v, long max) {
        return H - BOTTOM - v * (H - BOTTOM - TOP) / (double) max;
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
