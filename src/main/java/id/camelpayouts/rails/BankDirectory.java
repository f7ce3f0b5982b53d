package id.camelpayouts.rails;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What rail selection needs to know about a bank: its online transfer maximum and whether it
 * takes BI-FAST (the "Bank List" of Duitku's disbursement documentation,
 * https://docs.duitku.com/disbursement/en/; shipped as duitku-banks.csv), and whether Duitku
 * has a host-to-host link to it.
 */
public class BankDirectory {

    /** BRI, Mandiri, BNI, Permata, CIMB Niaga: the banks Duitku's H2H reaches. */
    public static final Set<String> H2H_BANKS = Set.of("002", "008", "009", "013", "022");

    public record Bank(String code, String name, boolean biFast, long onlineMax) {
    }

    private final Map<String, Bank> banks = new ConcurrentHashMap<>();

    public BankDirectory() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                BankDirectory.class.getResourceAsStream("/duitku-banks.csv"), StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.startsWith("#") && !line.startsWith("bankCode,")).forEach(line -> {
                String[] cells = line.split(",");
                banks.put(cells[0], new Bank(cells[0], cells[1], Boolean.parseBoolean(cells[2]),
                        Long.parseLong(cells[3])));
            });
        } catch (IOException e) {
            throw new IllegalStateException("duitku-banks.csv unreadable", e);
        }
    }

    /** The bank, or null when Duitku does not list it. */
    public Bank bank(String code) {
        return banks.get(code);
    }

    public boolean h2h(String code) {
        return H2H_BANKS.contains(code);
    }
}
