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
    DO_NOT_RETRY_AFTER("68", "Time Out"),
    /** Do the work (money moves), then answer Duitku's General Error. */
    GENERAL_ERROR_AFTER("EE", "General Error"),
    /** Do the work (money moves), then answer Duitku's transport error. */
    TRANSPORT_ERROR_AFTER("91", "Transport Error to Back End"),
    /** Do the work (money moves), then answer Duitku's "Transaction Already Finished". */
    ALREADY_FINISHED_AFTER("-142", "Transaction Already Finished");

    private final String code;
    private final String desc;

    TwinFault() {
        this(null, null);
    }

    TwinFault(String code, String desc) {
        this.code = code;
        this.desc = desc;
    }

    /** The response code answered after the work was done, or null for the transport faults. */
    public String code() {
        return code;
    }

    public String desc() {
        return desc;
    }
}
