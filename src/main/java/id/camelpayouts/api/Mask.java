package id.camelpayouts.api;

/** What may appear in a log about an account: its last four digits. */
public final class Mask {

    private Mask() {
    }

    public static String account(String number) {
        if (number == null || number.length() <= 4) {
            return "****";
        }
        return "*".repeat(number.length() - 4) + number.substring(number.length() - 4);
    }
}
