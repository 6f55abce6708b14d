package org.healthcode.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark run's results file: {@code <name>.json} (machine, settings, figures, notes) and {@code <name>.txt}
 * (the same for people), written together so the two never disagree.
 *
 * <p>Figures are added as named sections of the JSON; the summary collects lines as the run goes. Notes record
 * what could disturb or limit the figures (shared cores, a peer that was missing), because a figure without its
 * conditions misleads.
 */
public final class Results {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final boolean quick;
    private final Machine machine = Machine.current();
    private final Instant started = Instant.now();
    private final ObjectNode root = MAPPER.createObjectNode();
    private final ObjectNode settings;
    private final ObjectNode figures;
    private final ArrayNode notes;
    private final List<String> summary = new ArrayList<>();

    public Results(String name, boolean quick) {
        this.name = name;
        this.quick = quick;
        root.put("benchmark", name);
        root.put("quick", quick);
        root.put("started", started.toString());
        root.set("machine", machine.toJson());
        settings = root.putObject("settings");
        figures = root.putObject("figures");
        notes = root.putArray("notes");
    }

    public String name() {
        return name;
    }

    public boolean quick() {
        return quick;
    }

    public Machine machine() {
        return machine;
    }

    /** The settings section (sizes, rates, durations, versions): put what a reader needs to reproduce the run. */
    public ObjectNode settings() {
        return settings;
    }

    /** The figures section: add one object per measurement. */
    public ObjectNode figures() {
        return figures;
    }

    /** A new empty JSON object, for building figures. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new empty JSON array, for building figures. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** A condition of the run worth knowing beside its figures. */
    public void note(String text) {
        notes.add(text);
        summary.add("note: " + text);
    }

    /** One line of the human summary (also printed as it comes, so long runs show progress). */
    public void line(String text) {
        summary.add(text);
        System.out.println(text);
        System.out.flush();
    }

    /** Writes {@code <dir>/<name>.json} and {@code <dir>/<name>.txt}; returns the JSON file. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Instant finished = Instant.now();
        root.put("finished", finished.toString());
        root.put("seconds", Duration.between(started, finished).toMillis() / 1000.0);
        root.put("loadAverage1mAtEnd", Machine.loadAverageNow());
        Path json = dir.resolve(name + ".json");
        Path txt = dir.resolve(name + ".txt");
        MAPPER.writeValue(json.toFile(), root);
        StringBuilder sb = new StringBuilder();
        sb.append("benchmark ")
                .append(name)
                .append(quick ? " (quick mode: sizes too small for figures)" : "")
                .append('\n');
        sb.append("run ").append(started).append(" .. ").append(finished).append('\n');
        sb.append("machine: ")
                .append(machine.summaryLine())
                .append(String.format("; load average at end %.2f%n", Machine.loadAverageNow()));
        sb.append("settings: ").append(settings.toString()).append('\n').append('\n');
        summary.forEach(l -> sb.append(l).append('\n'));
        Files.writeString(txt, sb.toString(), StandardCharsets.UTF_8);
        System.out.println("results: " + json + " and " + txt);
        return json;
    }
}
