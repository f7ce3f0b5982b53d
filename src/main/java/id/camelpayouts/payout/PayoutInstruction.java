package id.camelpayouts.payout;

import java.util.LinkedHashMap;
import java.util.Map;

import id.camelpayouts.duitku.DuitkuSignature;

/**
 * A validated payout instruction (the PayoutInstruction schema of openapi/payouts-api.yaml; README
 * "HTTP API"). Optional fields are null when absent; {@code method} defaults to AUTO,
 * {@code provider} stays null until routing chooses one. {@code batch} groups payouts (a dropped
 * file's name, or the sender's own batch id) and is not part of what is paid: see
 * {@link #fingerprint()}.
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
        String address,
        String batch) {

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
        putIfPresent(map, "batch", batch);
        return map;
    }

    /**
     * Same content, same fingerprint: tells a harmless repeat from a conflicting reuse of a reference.
     * The batch is left out: a payout belongs to the batch it first came with, and the same payout
     * sent again with another batch (a file re-dropped under a new name, an instruction re-sent in
     * another group) is a repeat that pays nothing, not a conflict that would report it refused.
     */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder();
        toMap().forEach((key, value) -> {
            if (!"batch".equals(key)) {
                canonical.append(key).append('=').append(value).append('\n');
            }
        });
        return DuitkuSignature.sha256Hex(canonical.toString());
    }

    /** This instruction in the given batch. */
    public PayoutInstruction inBatch(String batchId) {
        return new PayoutInstruction(reference, provider, method, bankCode, accountNumber, accountName, amount,
                purpose, senderId, senderName, email, phoneNumber, identityNumber, address, batchId);
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
