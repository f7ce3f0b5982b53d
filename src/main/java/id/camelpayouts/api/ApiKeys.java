package id.camelpayouts.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API's keys, each with a name and roles, from configuration:
 * <ul>
 * <li>{@code payouts.api-keys} ({@code PAYOUTS_API_KEYS}): entries separated by {@code ;}, each
 * {@code name:key:role,role}. A key written {@code sha256:<64 hex digits>} is the SHA-256 of the
 * key, so the configuration need not hold the key itself.</li>
 * <li>{@code payouts.api-key} ({@code PAYOUTS_API_KEY}), when set: the key named {@code default},
 * with every role in the dev profile and {@code submit,read} (what it could do before roles) in
 * prod, where no key may have every role.</li>
 * </ul>
 * Only the SHA-256 of each key is kept. Error messages name an entry by its position and name,
 * never by its key.
 */
public final class ApiKeys {

    public static final String SUBMIT = "submit";
    public static final String READ = "read";
    public static final String OPERATE = "operate";
    public static final String APPROVE = "approve";
    /** Every role, in the order they are listed. */
    public static final List<String> ROLES = List.of(SUBMIT, READ, OPERATE, APPROVE);
    /** The name of the key of {@code payouts.api-key}. */
    public static final String DEFAULT_NAME = "default";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");

    /** One key: its name, the SHA-256 of the key, its roles. */
    public record Key(String name, byte[] sha256, Set<String> roles) {
        public boolean hasEveryRole() {
            return roles.containsAll(ROLES);
        }
    }

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * The configured keys; refuses (IllegalArgumentException, naming the entry, never the key) an
     * entry that is not {@code name:key:roles}, an unknown role, a name or a key given twice, or
     * no key at all.
     */
    public static ApiKeys configured(String singleKey, String namedKeys, boolean production) {
        List<Key> keys = new ArrayList<>(parse(namedKeys));
        if (singleKey != null && !singleKey.isBlank()) {
            Set<String> roles = production ? new LinkedHashSet<>(List.of(SUBMIT, READ)) : new LinkedHashSet<>(ROLES);
            keys.add(new Key(DEFAULT_NAME, hashOf(singleKey.trim(), "payouts.api-key"), roles));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no API key: set PAYOUTS_API_KEY (payouts.api-key) or PAYOUTS_API_KEYS"
                    + " (payouts.api-keys)");
        }
        refuseDuplicates(keys);
        return new ApiKeys(keys);
    }

    /** A name or a key given twice would make the history's names ambiguous. */
    private static void refuseDuplicates(List<Key> keys) {
        for (int i = 0; i < keys.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (keys.get(i).name().equals(keys.get(j).name())) {
                    throw new IllegalArgumentException("API key name '" + keys.get(i).name() + "' is given twice"
                            + (keys.get(i).name().equals(DEFAULT_NAME) ? " (it is the name of PAYOUTS_API_KEY)" : ""));
                }
                if (Arrays.equals(keys.get(i).sha256(), keys.get(j).sha256())) {
                    throw new IllegalArgumentException("API keys '" + keys.get(j).name() + "' and '"
                            + keys.get(i).name() + "' are the same key: give each its own");
                }
            }
        }
    }

    /** The entries of {@code payouts.api-keys} (empty when blank); refuses what {@link #configured} refuses. */
    public static List<Key> parse(String namedKeys) {
        List<Key> keys = new ArrayList<>();
        if (namedKeys == null || namedKeys.isBlank()) {
            return keys;
        }
        String[] entries = namedKeys.split(";");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            String where = "PAYOUTS_API_KEYS entry " + (i + 1);
            int firstColon = entry.indexOf(':');
            int lastColon = entry.lastIndexOf(':');
            if (firstColon < 0 || lastColon == firstColon) {
                throw new IllegalArgumentException(where + " is not name:key:role,role");
            }
            String name = entry.substring(0, firstColon).trim();
            String key = entry.substring(firstColon + 1, lastColon).trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": its name must be 1-64 of A-Z, a-z, 0-9, '.', '_', '-'");
            }
            where += " ('" + name + "')";
            if (key.isEmpty()) {
                throw new IllegalArgumentException(where + " has no key");
            }
            Set<String> roles = new LinkedHashSet<>();
            for (String role : entry.substring(lastColon + 1).split(",")) {
                String named = role.trim();
                if (!ROLES.contains(named)) {
                    throw new IllegalArgumentException(where + ": roles are " + String.join(", ", ROLES)
                            + (named.isEmpty() ? " (none given)" : ""));
                }
                roles.add(named);
            }
            keys.add(new Key(name, hashOf(key, where), roles));
        }
        refuseDuplicates(keys);
        return keys;
    }

    /** The key of the given SHA-256, compared with every key in constant time; null when none is. */
    Key find(byte[] givenSha256) {
        Key found = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.sha256(), givenSha256)) {
                found = key; // no early return: every key is compared, whichever matches
            }
        }
        return found;
    }

    public List<Key> keys() {
        return keys;
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static byte[] hashOf(String key, String where) {
        if (key.regionMatches(true, 0, "sha256:", 0, 7)) {
            if (!HASH.matcher(key.toLowerCase(java.util.Locale.ROOT)).matches()) {
                throw new IllegalArgumentException(where + ": a key written sha256: must be followed by 64 hex digits");
            }
            return HexFormat.of().parseHex(key.substring(7));
        }
        return sha256(key);
    }
}
