package id.camelpayouts.ledger;

/** The ledger could not be read or written; the input that caused it must not be acknowledged. */
public class LedgerException extends RuntimeException {
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
