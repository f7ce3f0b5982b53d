package com.example.esb;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Header;

/**
 * The host's own mapping from its ERP message (supplier fields in headers) to a payout
 * instruction: a map, which the payout-submit block takes as it is. Building it as JSON text in a
 * Simple expression would not escape a quote in a supplier's data.
 */
public final class SupplierPayments {

    private SupplierPayments() {
    }

    public static Map<String, Object> instruction(@Header("invoice") String invoice,
            @Header("supplierBank") String bankCode, @Header("supplierAccount") String accountNumber,
            @Header("amountDue") long amount) {
        Map<String, Object> instruction = new LinkedHashMap<>();
        instruction.put("reference", invoice);
        instruction.put("bankCode", bankCode);
        instruction.put("accountNumber", accountNumber);
        instruction.put("amount", amount);
        instruction.put("purpose", "invoice " + invoice);
        return instruction;
    }
}
