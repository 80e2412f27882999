package io.github.dpsplugin.core.enroll.standin;

/**
 * A refusal as DPS words it: the HTTP status, a six-digit error code that starts with it, and a
 * message. The message never holds a key or a signature.
 */
final class DpsError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    DpsError(int status, int detail, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = status * 1000 + detail;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static DpsError badRequest(String message) {
        return new DpsError(400, 4, message);
    }

    static DpsError notFound(String registrationId) {
        return new DpsError(404, 201, "Enrollment not found: " + registrationId);
    }

    static DpsError conflict(String registrationId) {
        return new DpsError(409, 201, "Enrollment already exists: " + registrationId);
    }

    static DpsError preconditionFailed(String registrationId) {
        return new DpsError(412, 2, "Precondition failed: the enrollment '" + registrationId
                + "' has another ETag than the one given");
    }
}
