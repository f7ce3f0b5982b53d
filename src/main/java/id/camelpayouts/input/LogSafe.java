package id.camelpayouts.input;

/**
 * Makes a value from outside safe to put in a log line or an answer: every character that could
 * break a line, move the cursor or reorder text (controls such as CR, LF, ESC and NUL, line and
 * paragraph separators, bidirectional and other invisible format characters) is written as
 * {@code \\uXXXX}, and the text is cut at a bound. Used where an input value must be named (an
 * unknown field's name); everything else is validated before it is logged, so only values that
 * already passed a pattern reach a log line.
 */
public final class LogSafe {

    private LogSafe() {
    }

    /** Whether the text has none of the characters {@link #text} escapes. */
    public static boolean isClean(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The value as text, escaped, at most {@code max} characters of it (the rest counted, not shown). */
    public static String text(Object value, int max) {
        String text = String.valueOf(value);
        int shown = Math.min(text.length(), max);
        StringBuilder safe = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        if (text.length() > shown) {
            safe.append("...(").append(text.length() - shown).append(" more)");
        }
        return safe.toString();
    }

    static boolean unsafe(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
