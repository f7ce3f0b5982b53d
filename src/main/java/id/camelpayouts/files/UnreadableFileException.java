package id.camelpayouts.files;

/** The file as a whole cannot be read as payout instructions; its message says why. */
public class UnreadableFileException extends RuntimeException {
    public UnreadableFileException(String message) {
        super(message);
    }
}
