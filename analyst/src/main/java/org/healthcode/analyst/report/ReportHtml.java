package org.healthcode.analyst.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.healthcode.analyst.whatif.Comparison;
import org.healthcode.analyst.whatif.Override;
import org.healthcode.analyst.whatif.RuleFile;
import org.healthcode.analyst.whatif.WhatIf;

/**
 * The what-if report: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched), with the
 * provenance first (archive size, time range and SHA-256, both rule sets' versions and SHA-256, engine version, the
 * command), then persons by colour over time (A vs B), new reds per day by reason, a district table with a sparkline
 * each, the overrides applied with basis and approvers, and the rejections by category. Every number in it comes
 * from the same rows as the CSV files; cells carry {@code data-key} attributes so a test can compare them.
 */
public final class ReportHtml {
    private static final Map<String, String> COLOUR = Map.of("green", "#2f9e44", "yellow", "#f08c00", "red", "#e03131");
    private static final String[] PALETTE = {
        "#e03131", "#1971c2", "#f08c00", "#7048e8", "#0c8599", "#c2255c", "#5c940d", "#495057", "#e8590c", "#3b5bdb",
        "#087f5b", "#862e9c"
    };

    private ReportHtml() {}

    public static String render(WhatIf.Result r) {
        Comparison c = r.comparison();
        List<LocalDate> days = c.days();
        List<String> labels = days.stream().map(d -> d.toString().substring(5)).toList();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>What-if: ")
                .append(Html.esc(r.a().version()))
                .append(" vs ")
                .append(Html.esc(r.b().version()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style></head><body>\n");
        h.append("<h1>What-if: <span class=\"a\">A ")
                .append(Html.esc(r.a().version()))
                .append("</span> vs <span class=\"b\">B ")
                .append(Html.esc(r.b().version()))
                .append("</span></h1>\n");

        // daily totals per colour, over every district
        Map<LocalDate, long[]> totals = new TreeMap<>();
        for (Comparison.Count x : c.colours()) {
            long[] t = totals.computeIfAbsent(x.day(), d -> new long[6]);
            int k = Comparison.COLOURS.indexOf(x.key());
            t[2 * k] += x.a();
            t[2 * k + 1] += x.b();
        }
        Map<LocalDate, Long> differing = new TreeMap<>();
        c.differences().forEach(d -> differing.merge(d.day(), 1L, Long::sum));
        long[] personDays = new long[6];
        totals.values().forEach(t -> {
            for (int i = 0; i < 6; i++) {
                personDays[i] += t[i];
            }
        });
        h.append("<section class=\"summary\">")
                .append(tile("Person-days red", personDays[4], personDays[5], "person-days:red"))
                .append(tile("Person-days yellow", personDays[2], personDays[3], "person-days:yellow"))
                .append(
                        "<div class=\"tile\"><div class=\"k\">Persons who differ</div><div class=\"v\" data-key=\"persons-differing\">")
                .append(num(c.persons().size()))
                .append("</div><div class=\"s\">on at least one day's end</div></div>")
                .append("</section>\n");

        h.append(
                        "<h2>Persons by colour at each day's end</h2>\n<p class=\"note\">A solid, B dashed. Green is the rest of the ")
                .append(num(
                        totals.isEmpty() ? 0 : sum3(totals.values().iterator().next(), 0)))
                .append(" persons of the archive.</p>\n");
        List<Svg.Series> series = new ArrayList<>();
        for (String colour : List.of("yellow", "red")) {
            int k = Comparison.COLOURS.indexOf(colour);
            series.add(new Svg.Series(colour + " A", COLOUR.get(colour), false, column(totals, 2 * k)));
            series.add(new Svg.Series(colour + " B", COLOUR.get(colour), true, column(totals, 2 * k + 1)));
        }
        h.append("<figure id=\"chart-colours\">")
                .append(Svg.lineChart("Persons by colour over time, A vs B", labels, series))
                .append("</figure>\n");
        h.append("<details open><summary>Daily totals (colours_by_day.csv summed over districts)</summary>")
                .append("<table id=\"daily\"><thead><tr><th>day</th><th>green A</th><th>green B</th><th>yellow A</th>")
                .append(
                        "<th>yellow B</th><th>red A</th><th>red B</th><th>persons differing</th></tr></thead><tbody>\n");
        for (Map.Entry<LocalDate, long[]> e : totals.entrySet()) {
            h.append("<tr><td>").append(e.getKey()).append("</td>");
            for (int i = 0; i < 6; i++) {
                String colour = Comparison.COLOURS.get(i / 2);
                h.append("<td data-key=\"daily:")
                        .append(e.getKey())
                        .append(':')
                        .append(colour)
                        .append(':')
                        .append(i % 2 == 0 ? "a" : "b")
                        .append("\">")
                        .append(num(e.getValue()[i]))
                        .append("</td>");
            }
            h.append("<td data-key=\"daily:")
                    .append(e.getKey())
                    .append(":differing\">")
                    .append(num(differing.getOrDefault(e.getKey(), 0L)))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></details>\n");

        // new reds per day by reason
        TreeSet<String> reasons = new TreeSet<>();
        c.newReds().forEach(x -> reasons.add(x.key()));
        List<String> reasonList = new ArrayList<>(reasons);
        long[][] ra = new long[days.size()][reasonList.size()];
        long[][] rb = new long[days.size()][reasonList.size()];
        for (Comparison.Count x : c.newReds()) {
            int d = days.indexOf(x.day());
            int k = reasonList.indexOf(x.key());
            ra[d][k] += x.a();
            rb[d][k] += x.b();
        }
        List<Svg.Segment> segments = new ArrayList<>();
        for (int k = 0; k < reasonList.size(); k++) {
            segments.add(new Svg.Segment(reasonList.get(k), PALETTE[k % PALETTE.length]));
        }
        h.append(
                        "<h2>New reds per day by reason</h2>\n<p class=\"note\">Per day, the left bar is A, the right (lighter) B.</p>\n")
                .append("<figure id=\"chart-new-reds\">")
                .append(Svg.pairedStackedBars("New reds per day by reason, A vs B", labels, segments, ra, rb))
                .append(
                        "</figure>\n<table id=\"new-reds\"><thead><tr><th>reason</th><th>new reds A</th><th>new reds B</th></tr></thead><tbody>\n");
        for (int k = 0; k < reasonList.size(); k++) {
            long sa = 0;
            long sb = 0;
            for (int d = 0; d < days.size(); d++) {
                sa += ra[d][k];
                sb += rb[d][k];
            }
            h.append("<tr><td>")
                    .append(Html.esc(reasonList.get(k)))
                    .append("</td><td data-key=\"new-reds:")
                    .append(Html.esc(reasonList.get(k)))
                    .append(":a\">")
                    .append(num(sa))
                    .append("</td><td data-key=\"new-reds:")
                    .append(Html.esc(reasonList.get(k)))
                    .append(":b\">")
                    .append(num(sb))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");

        // districts
        Map<String, long[][]> byDistrict = new TreeMap<>();
        for (Comparison.Count x : c.colours()) {
            long[][] v = byDistrict.computeIfAbsent(x.district(), k -> new long[4][days.size()]);
            int d = days.indexOf(x.day());
            if (x.key().equals("red")) {
                v[0][d] += x.a();
                v[1][d] += x.b();
            } else if (x.key().equals("yellow")) {
                v[2][d] += x.a();
                v[3][d] += x.b();
            }
        }
        Map<String, Long> differingByDistrict = new TreeMap<>();
        c.persons().forEach(p -> differingByDistrict.merge(p.district(), 1L, Long::sum));
        h.append(
                        "<h2>Districts</h2>\n<p class=\"note\">Person-days at days' ends; the sparkline is red + yellow persons per day, A solid, B dashed.</p>\n")
                .append(
                        "<table id=\"districts\"><thead><tr><th>district</th><th>red A</th><th>red B</th><th>yellow A</th>")
                .append(
                        "<th>yellow B</th><th>persons differing</th><th>red + yellow per day</th></tr></thead><tbody>\n");
        for (Map.Entry<String, long[][]> e : byDistrict.entrySet()) {
            long[][] v = e.getValue();
            long[] sa = new long[days.size()];
            long[] sb = new long[days.size()];
            for (int d = 0; d < days.size(); d++) {
                sa[d] = v[0][d] + v[2][d];
                sb[d] = v[1][d] + v[3][d];
            }
            String dk = Html.esc(e.getKey());
            h.append("<tr><td>")
                    .append(dk)
                    .append("</td>")
                    .append(cell("district:" + dk + ":red:a", sum(v[0])))
                    .append(cell("district:" + dk + ":red:b", sum(v[1])))
                    .append(cell("district:" + dk + ":yellow:a", sum(v[2])))
                    .append(cell("district:" + dk + ":yellow:b", sum(v[3])))
                    .append(cell("district:" + dk + ":differing", differingByDistrict.getOrDefault(e.getKey(), 0L)))
                    .append("<td>")
                    .append(Svg.sparkline(sa, sb))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");

        // overrides
        h.append("<h2>Overrides applied</h2>\n");
        List<Override> applied =
                r.overrides().stream().filter(Override::applied).toList();
        if (applied.isEmpty()) {
            h.append("<p class=\"note\" id=\"no-overrides\">No override was applied in this archive (")
                    .append(num(r.overrides().size()))
                    .append(" requested).</p>\n");
        } else {
            h.append(
                            "<table id=\"overrides\"><thead><tr><th>person</th><th>colour</th><th>basis</th><th>requested by</th>")
                    .append(
                            "<th>approved by</th><th>requested</th><th>expiry</th><th>state</th></tr></thead><tbody>\n");
            for (Override o : applied) {
                h.append("<tr><td class=\"id\">")
                        .append(Html.esc(o.personId()))
                        .append("</td><td>")
                        .append(Html.esc(o.colour()))
                        .append("</td><td>")
                        .append(Html.esc(o.basis()))
                        .append("</td><td>")
                        .append(Html.esc(o.requester()))
                        .append("</td><td>")
                        .append(Html.esc(String.join(", ", o.approvers())))
                        .append("</td><td>")
                        .append(Html.esc(o.requested()))
                        .append("</td><td>")
                        .append(Html.esc(o.expiry()))
                        .append("</td><td>")
                        .append(Html.esc(o.state()))
                        .append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }

        // rejections
        h.append("<h2>Rejected records by category</h2>\n");
        if (r.rejections().isEmpty()) {
            h.append("<p class=\"note\">Nothing was rejected.</p>\n");
        } else {
            long max = r.rejections().values().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElse(1);
            h.append("<table id=\"rejections\"><tbody>\n");
            for (Map.Entry<String, Long> e : r.rejections().entrySet()) {
                h.append("<tr><td>")
                        .append(Html.esc(e.getKey()))
                        .append("</td>")
                        .append(cell("rejections:" + Html.esc(e.getKey()), e.getValue()))
                        .append("<td><div class=\"hbar\" style=\"width:")
                        .append(Math.max(1, e.getValue() * 400 / max))
                        .append("px\"></div></td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }

        // provenance
        h.append("<h2>How this was made</h2>\n<table id=\"provenance\"><tbody>\n")
                .append(row(
                        "archive",
                        r.config().events().getFileName() + ": "
                                + r.archive().files().size() + " file(s), "
                                + num(r.archive().bytes()) + " bytes, "
                                + num(r.archive().lines()) + " lines"))
                .append(row("archive SHA-256", r.archive().sha256()))
                .append(row(
                        "event times",
                        r.facts().firstEventTime() == Long.MAX_VALUE
                                ? "(no events)"
                                : Instant.ofEpochMilli(r.facts().firstEventTime()) + " to "
                                        + Instant.ofEpochMilli(r.facts().lastEventTime())))
                .append(ruleRow(r.a()))
                .append(ruleRow(r.b()))
                .append(row("engine", "healthcode " + r.engineVersion()))
                .append(row(
                        "days end at",
                        "midnight " + r.config().zone() + "; districts: the first "
                                + r.config().districtDigits()
                                + " digits of the area code of the person's identity binding"))
                .append(row("command", r.config().command()))
                .append("</tbody></table>\n</body></html>\n");
        return h.toString();
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:980px;margin:24px auto;padding:0 16px}
            h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .a{color:#333}.b{color:#d9480f}.note{color:#666;font-size:12px}
            .summary{display:flex;gap:12px;flex-wrap:wrap}.tile{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:200px}
            .tile .k{color:#666;font-size:12px}.tile .v{font-size:20px;font-weight:600}.tile .s{color:#666;font-size:12px}
            table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:right}
            td:first-child,th:first-child{text-align:left}.id{font-family:monospace;font-size:12px}
            .hbar{background:#868e96;height:12px}figure{margin:8px 0}
            #provenance td{text-align:left;font-family:monospace;font-size:12px;word-break:break-all}
            """;

    private static String tile(String title, long a, long b, String key) {
        return "<div class=\"tile\"><div class=\"k\">" + Html.esc(title)
                + "</div><div class=\"v\"><span class=\"a\" data-key=\""
                + key + ":a\">" + num(a) + "</span> vs <span class=\"b\" data-key=\"" + key + ":b\">" + num(b)
                + "</span></div><div class=\"s\">A vs B (" + (b >= a ? "+" : "") + num(b - a) + ")</div></div>";
    }

    private static String cell(String key, long v) {
        return "<td data-key=\"" + key + "\">" + num(v) + "</td>";
    }

    private static String row(String k, String v) {
        return "<tr><th>" + Html.esc(k) + "</th><td>" + Html.esc(v) + "</td></tr>\n";
    }

    private static String ruleRow(RuleFile f) {
        return row(
                "rules " + f.label(), f.file().getFileName() + ": version " + f.version() + ", SHA-256 " + f.sha256());
    }

    private static long[] column(Map<LocalDate, long[]> totals, int i) {
        return totals.values().stream().mapToLong(t -> t[i]).toArray();
    }

    private static long sum3(long[] t, int side) {
        return t[side] + t[2 + side] + t[4 + side];
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }

    /** Plain digits, so the page's numbers read back exactly as the CSV's. */
    private static String num(long v) {
        return String.format(Locale.ROOT, "%d", v);
    }
}
