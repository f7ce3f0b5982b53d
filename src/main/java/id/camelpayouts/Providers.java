package id.camelpayouts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which providers this application pays through: each one whose credentials are set. A provider
 * with some of its credentials set and others missing is a mistake, refused with the missing ones
 * named; one with none set is simply off (a Duitku-only host sets no durianpay.* at all).
 */
final class Providers {

    static final String DUITKU = "duitku";
    static final String DURIANPAY = "durianpay";

    /** Each provider's credentials. Durianpay's two keys are the twin's own while it stands in. */
    static final Map<String, List<String>> CREDENTIALS = credentials();

    private static final List<String> DURIANPAY_KEYS = List.of("durianpay.private-key", "durianpay.public-key");

    private Providers() {
    }

    private static Map<String, List<String>> credentials() {
        Map<String, List<String>> credentials = new LinkedHashMap<>();
        credentials.put(DUITKU, List.of("duitku.user-id", "duitku.email", "duitku.secret-key"));
        credentials.put(DURIANPAY, List.of("durianpay.client-key", "durianpay.client-secret", "durianpay.merchant-id",
                "durianpay.private-key", "durianpay.public-key"));
        return Map.copyOf(credentials);
    }

    /** The configured providers, Duitku first; at least one. */
    static Set<String> configured(Settings settings, boolean twin) {
        Set<String> configured = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String provider : List.of(DUITKU, DURIANPAY)) {
            List<String> keys = CREDENTIALS.get(provider);
            List<String> set = keys.stream().filter(settings::isSet).toList();
            if (set.isEmpty()) {
                continue;
            }
            List<String> missing = keys.stream().filter(key -> !settings.isSet(key))
                    .filter(key -> !(twin && DURIANPAY_KEYS.contains(key))).toList();
            if (missing.isEmpty()) {
                configured.add(provider);
            } else {
                problems.add(provider + " is configured in part: set " + names(missing) + " as well, or none of "
                        + names(keys) + " to leave " + provider + " off");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        if (configured.isEmpty()) {
            throw new IllegalStateException("no provider is configured: set " + names(CREDENTIALS.get(DUITKU))
                    + " for Duitku and/or " + names(CREDENTIALS.get(DURIANPAY)) + " for Durianpay");
        }
        return Set.copyOf(configured);
    }

    /**
     * The routing settings may only name configured providers: an instruction that names no
     * provider is then never sent to one that is off.
     */
    static void checkRouting(Settings settings, Set<String> configured) {
        String fallback = settings.text("payouts.default-provider");
        if (!configured.contains(fallback)) {
            throw new IllegalStateException("payouts.default-provider is " + fallback + ", which is not configured"
                    + " (configured: " + String.join(", ", configured) + "): set PAYOUTS_DEFAULT_PROVIDER");
        }
        if (!configured.contains(DURIANPAY) && (!settings.list("payouts.durianpay-banks").isEmpty()
                || settings.number("payouts.durianpay-from") > 0)) {
            throw new IllegalStateException("payouts.durianpay-banks or payouts.durianpay-from route payouts to"
                    + " Durianpay, which is not configured: set its credentials or clear them");
        }
    }

    private static String names(List<String> keys) {
        return String.join(", ", keys.stream().map(Settings::environmentVariable).toList());
    }
}
