package id.camelpayouts.payout;

import java.text.Normalizer;
import java.util.Locale;

import org.apache.camel.Variable;

import id.camelpayouts.ledger.Payout;

/**
 * Compares the holder name the merchant expects with the one the bank reported at inquiry.
 * Case, punctuation, accents and spacing do not count; anything else is a mismatch.
 */
public class NameCheck {

    public boolean mismatch(@Variable("payout") Payout payout) {
        String expected = payout.getInstruction().accountName();
        if (expected == null) {
            return false;
        }
        return !normalize(expected).equals(normalize(payout.getAccountName()));
    }

    static String normalize(String name) {
        if (name == null) {
            return "";
        }
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        // "S.E." and "SE" are the same title; other separators split words.
        return plain.toUpperCase(Locale.ROOT).replaceAll("[.,'’]", "").replaceAll("[^A-Z0-9]+", " ").trim();
    }
}
