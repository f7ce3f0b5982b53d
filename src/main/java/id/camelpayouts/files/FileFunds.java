package id.camelpayouts.files;

import java.util.Locale;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.Variable;

import id.camelpayouts.input.StrictJson;
import id.camelpayouts.ledger.BatchLedger;
import id.camelpayouts.payout.InstructionParser;

/**
 * Before a dropped file's rows start, its total is compared with the provider's balance (the
 * file-drop-funds route asks it) and a shortfall is shown on the batch (GET /api/batches/{id},
 * {@code funds}), so that a person can top up before the rows run out of money half way. Nothing
 * is held back for it: the rows that the balance cannot cover are refused by the provider and wait
 * (routes/engine/insufficient-funds.camel.yaml).
 */
public class FileFunds {

    /** An amount as a file may carry it: whole rupiah, at most 13 digits (the parser's bound). */
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,13}");

    private final BatchLedger batches;
    private final String defaultProvider;

    public FileFunds(BatchLedger batches, String defaultProvider) {
        this.batches = batches;
        this.defaultProvider = defaultProvider;
    }

    /**
     * The rupiah of the file's rows that go to {@code provider}: those naming it, and, for the
     * default provider, those naming none (the routing may still send some elsewhere: an
     * estimate). A row whose amount is not a whole number counts nothing: the intake refuses it.
     * A reference counts once, at its first row: a later row naming it again is a repeat (paid
     * once) or refused (another instruction under a taken reference).
     * A CSV row is a map; a JSON row is its text, read here as the intake reads it (a row the
     * intake refuses counts nothing).
     */
    public long total(@Variable("batch") PayoutFiles.Batch batch, @Variable("fundsProvider") String provider) {
        long total = 0;
        Set<String> references = new HashSet<>();
        for (Object row : batch.rows()) {
            Map<?, ?> fields = fields(row);
            Object reference = fields == null ? null : fields.get("reference");
            boolean first = reference == null || references.add(reference.toString().trim());
            if (first && fields != null && goesTo(fields.get("provider"), provider)) {
                Object amount = fields.get("amount");
                String text = amount == null ? "" : amount.toString().trim();
                if (AMOUNT.matcher(text).matches()) {
                    total += Long.parseLong(text);
                }
            }
        }
        return total;
    }

    /** Records the comparison on the batch; a balance that could not be read records nothing. */
    public void record(@Variable("batch") PayoutFiles.Batch batch, @Variable("fundsProvider") String provider,
            @Variable("fileTotal") long total, @Variable("balance") Long balance) {
        if (balance != null) {
            batches.recordFunds(batch.fileName(), provider, total, balance);
        }
    }

    /**
     * The warning that the file's total exceeds the balance, both amounts written as rupiah with
     * thousands separators (Rp1,500,000,000): a plain run of ten or more digits would be masked in
     * the log like an account number, and the operator could not read what to top up.
     */
    public String shortfall(@Variable("fundsFile") String file, @Variable("fundsProvider") String provider,
            @Variable("fileTotal") long total, @Variable("balance") long balance) {
        return "File " + file + ": its " + rupiah(total) + " for " + provider + " exceed the balance ("
                + rupiah(balance) + ") by " + rupiah(total - balance)
                + "; top up, or its last rows will wait (insufficient-funds)";
    }

    static String rupiah(long amount) {
        return String.format(Locale.ROOT, "Rp%,d", amount);
    }

    private static Map<?, ?> fields(Object row) {
        if (row instanceof Map<?, ?> map) {
            return map;
        }
        if (row instanceof String text) {
            StrictJson.Read read = StrictJson.object(text, InstructionParser.MAX_JSON);
            return read.ok() ? read.fields() : null;
        }
        return null;
    }

    private boolean goesTo(Object named, String provider) {
        String text = named == null ? "" : named.toString().trim();
        return text.isEmpty() ? provider.equals(defaultProvider) : text.equalsIgnoreCase(provider);
    }
}
