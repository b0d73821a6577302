package dev.directspec.prep;

import java.util.Map;

/**
 * What a finished prep run produced.
 *
 * @param output   the dataset folder (final location)
 * @param manifest the manifest exactly as written to manifest.json
 * @param counts   the manifest's counts section
 */
public record PrepResult(String output, Map<String, Object> manifest, Map<String, Long> counts) {
}
