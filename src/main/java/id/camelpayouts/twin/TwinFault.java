package id.camelpayouts.twin;

/** Faults the twin can inject into one call, to test what the gateway does when a provider misbehaves. */
public enum TwinFault {
    /** Answer 500 without doing anything. */
    HTTP_500_BEFORE,
    /** Do the work (a transfer is executed), then answer 502 with an HTML page. */
    HTTP_502_AFTER,
    /** Do the work, then answer only after the gateway's response timeout has passed. */
    SLOW_AFTER,
    /** Close the connection without doing anything. */
    DROP_BEFORE,
    /** Do the work, then close the connection without an answer. */
    DROP_AFTER,
    /** Do the work, then answer Duitku's "do not retry" code 68 (time out, wait for the bank). */
    DO_NOT_RETRY_AFTER
}
