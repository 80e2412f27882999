package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.RolloutWriter;

/** Two devices whose outputs would have one name: found when the second one's files are added. */
final class IdCollisions {

    private IdCollisions() {
    }

    /** Device {@code label} has the registration ID {@code id} of device {@code firstLabel}, listed before it. */
    static DpsException listedTwice(RegistrationId id, String label, String firstLabel) {
        return new DpsException("registrationId", "'" + id + "' is listed more than once (also device " + firstLabel
                + "); each device needs its own registration ID").forDevice(label);
    }

    static DpsException collision(RegistrationId id) {
        return new DpsException("registrationId", DpsException.quote(id.value()) + " is listed more than once, or"
                + " another device's ID gives the same file name (" + BatchGenerator.aliasFileName(id) + ", " + BatchGenerator.deviceIdFileName(id) + "); each device"
                + " needs its own registration ID").forDevice(DpsException.quote(id.value()));
    }

    static DpsException previous(RegistrationId previousId) {
        // attributed to the ID, not to a device: which of the two devices meets the other first depends on timing
        return new DpsException("registrationId", DpsException.quote(previousId.value()) + " is the registration ID"
                + " of two devices under the previous firmware (" + RolloutWriter.previousFileName(previousId) + "); each device"
                + " needs its own registration ID under both firmwares")
                .forDevice(DpsException.quote(previousId.value()));
    }
}
