package id.camelpayouts.duitku;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Every Duitku signature formula (Duitku's disbursement documentation,
 * https://docs.duitku.com/disbursement/en/): lowercase hex SHA-256 of the
 * fields concatenated in the documented order, secret key last. A missing optional
 * field contributes the empty string; amounts are rendered as PHP renders them.
 */
public final class DuitkuSignature {

    private final String email;
    private final String secretKey;

    public DuitkuSignature(String email, String secretKey) {
        this.email = email;
        this.secretKey = secretKey;
    }

    public String onlineInquiry(long timestamp, String bankCode, String bankAccount, Object amount, String purpose) {
        return sign(email, timestamp, bankCode, bankAccount, PhpAmount.render(amount), purpose, secretKey);
    }

    public String onlineTransfer(long timestamp, String bankCode, String bankAccount, String accountName,
            String custRefNumber, Object amount, String purpose, String disburseId) {
        return sign(email, timestamp, bankCode, bankAccount, accountName, custRefNumber, PhpAmount.render(amount),
                purpose, disburseId, secretKey);
    }

    public String clearingInquiry(long timestamp, String bankCode, String type, String bankAccount, Object amount,
            String purpose) {
        return sign(email, timestamp, bankCode, type, bankAccount, PhpAmount.render(amount), purpose, secretKey);
    }

    public String clearingTransfer(long timestamp, String bankCode, String type, String bankAccount,
            String accountName, String custRefNumber, Object amount, String purpose, String disburseId) {
        return sign(email, timestamp, bankCode, type, bankAccount, accountName, custRefNumber,
                PhpAmount.render(amount), purpose, disburseId, secretKey);
    }

    public String cashOutInquiry(long timestamp, Object amount, String purpose) {
        return sign(email, timestamp, PhpAmount.render(amount), purpose, secretKey);
    }

    public String inquiryStatus(long timestamp, String disburseId) {
        return sign(email, timestamp, disburseId, secretKey);
    }

    /** Check balance and list bank share one formula. */
    public String merchantRequest(long timestamp) {
        return sign(email, timestamp, secretKey);
    }

    /** H2 clearing callback: email + bankCode + bankAccount + accountName + custRefNumber + amountTransfer + disburseId. */
    public boolean verifyClearingCallback(Map<String, ?> callback) {
        String expected = sign(text(callback, "email"), text(callback, "bankCode"), text(callback, "bankAccount"),
                text(callback, "accountName"), text(callback, "custRefNumber"),
                PhpAmount.render(callback.get("amountTransfer")), text(callback, "disburseId"), secretKey);
        return matches(expected, callback.get("signature"));
    }

    /** Cash-out callback: email + disburseId + custRefNumber. */
    public boolean verifyCashOutCallback(Map<String, ?> callback) {
        String expected = sign(text(callback, "email"), text(callback, "disburseId"),
                text(callback, "custRefNumber"), secretKey);
        return matches(expected, callback.get("signature"));
    }

    /** Constant-time comparison, so a forger learns nothing from response timing. */
    static boolean matches(String expected, Object given) {
        if (!(given instanceof String text)) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                text.toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }

    static String sign(Object... parts) {
        StringBuilder joined = new StringBuilder();
        for (Object part : parts) {
            joined.append(part == null ? "" : part);
        }
        return sha256Hex(joined.toString());
    }

    public static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String text(Map<String, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? "" : value.toString();
    }
}
