package org.healthcode.interop.codes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages' files (plain HTML, CSS and JavaScript, no build step), read once from {@code web/} on the class path.
 * Only the files listed here are served: no path from a request ever reaches the class loader.
 */
public final class WebAssets {
    /** One file: its bytes and content type. */
    public record Asset(byte[] bytes, String contentType) {}

    static final String PERSON_PAGE = "person.html";
    static final String CHECKPOINT_PAGE = "checkpoint.html";
    private static final String[] FILES = {
        PERSON_PAGE,
        CHECKPOINT_PAGE,
        "pages.css",
        "person.js",
        "checkpoint.js",
        "reasons.js",
        // the person page's correction requests
        "correction.js",
        // the person page's health and itinerary declarations
        "declarations.js",
        "selfcheck.js",
        "riskareas.js"
    };

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public WebAssets() {
        for (String name : FILES) {
            try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream("web/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("web/" + name + " is missing from the class path");
                }
                assets.put(name, new Asset(in.readAllBytes(), contentType(name)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Optional<Asset> get(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/javascript; charset=utf-8";
    }
}
