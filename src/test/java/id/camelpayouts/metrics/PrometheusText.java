package id.camelpayouts.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Prometheus' text exposition format (what /observe/metrics answers) into samples keyed
 * {@code name{label="value",...}} with the labels in name order, so a test can name a sample
 * whatever order the registry wrote its labels in.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** Every sample of the scrape; comments (# HELP, # TYPE) are skipped. */
    public static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int labelsAt = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new TreeMap<>();
            String name;
            String rest;
            if (labelsAt >= 0 && labelsAt < space) {
                name = line.substring(0, labelsAt);
                int end = readLabels(line, labelsAt + 1, labels);
                rest = line.substring(end + 1).trim();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            }
            samples.put(key(name, labels), number(rest.split(" ")[0]));
        }
        return samples;
    }

    /** The key of a sample: its name and label pairs (name, value, name, value, ...). */
    public static String key(String name, String... labels) {
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        return key(name, sorted);
    }

    private static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder key = new StringBuilder(name).append('{');
        labels.forEach((label, value) -> key.append(label).append("=\"").append(value).append("\","));
        key.setLength(key.length() - 1);
        return key.append('}').toString();
    }

    /** Reads {@code a="x",b="y"} up to the closing brace (values may hold escaped quotes); returns its index. */
    private static int readLabels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String label = line.substring(i, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 2; // past ="
            while (line.charAt(j) != '"') {
                if (line.charAt(j) == '\\') {
                    j++;
                }
                value.append(line.charAt(j));
                j++;
            }
            labels.put(label, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i;
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
