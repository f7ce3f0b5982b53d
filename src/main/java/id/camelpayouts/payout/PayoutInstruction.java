package id.camelpayouts.payout;

import java.util.LinkedHashMap;
import java.util.Map;

import id.camelpayouts.duitku.DuitkuSignature;

/**
 * A validated payout instruction (the PayoutInstruction schema of openapi/payouts-api.yaml; README
 * "HTTP API"). Optional fields are null when absent;
 * {@code method} defaults to AUTO, {@code provider} stays null until routing chooses one.
 */
public record PayoutInstruction(
        String reference,
        String provider,
        String method,
        String bankCode,
        String accountNumber,
        String accountName,
        long amount,
        String purpose,
        String senderId,
        String senderName,
        String email,
        String phoneNumber,
        String identityNumber,
        String address) {

    /** The instruction as the merchant gave it, in a fixed field order (what the ledger stores). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("reference", reference);
        putIfPresent(map, "provider", provider);
        map.put("method", method);
        map.put("bankCode", bankCode);
        putIfPresent(map, "accountNumber", accountNumber);
        putIfPresent(map, "accountName", accountName);
        map.put("amount", amount);
        putIfPresent(map, "purpose", purpose);
        putIfPresent(map, "senderId", senderId);
        putIfPresent(map, "senderName", senderName);
        putIfPresent(map, "email", email);
        putIfPresent(map, "phoneNumber", phoneNumber);
        putIfPresent(map, "identityNumber", identityNumber);
        putIfPresent(map, "address", address);
        return map;
    }

    /** Same content, same fingerprint: tells a harmless repeat from a conflicting reuse of a reference. */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder();
        toMap().forEach((key, value) -> canonical.append(key).append('=').append(value).append('\n'));
        return DuitkuSignature.sha256Hex(canonical.toString());
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
