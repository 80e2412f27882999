// The fleet: five devices with explicit IDs and one whose ID the DevKit derives from its MAC; a
// directory for the secret file (owner-only, as the README advises); a devices file with a bad MAC.
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

def fleet = new File(basedir, 'fleet')
fleet.mkdirs()
new File(fleet, 'devices.csv').setText('registrationId,macAddress\n# line 1 of the factory\n'
        + (1..5).collect { "line1-device-00${it},\n" }.join('') + ',C8:93:46:4A:1B:2C\n', 'UTF-8')
// added at the next release: one explicit ID and one MAC-derived; all.csv is the fleet after that
new File(fleet, 'added.csv').setText('registrationId,macAddress\nline2-device-001,\n,C8:93:46:4A:1B:2D\n', 'UTF-8')
new File(fleet, 'all.csv').setText(new File(fleet, 'devices.csv').getText('UTF-8')
        + 'line2-device-001,\n,C8:93:46:4A:1B:2D\n', 'UTF-8')
new File(fleet, 'bad-devices.csv').setText('registrationId,macAddress\nline1-device-001,\n,C8:93:46:4A:1B\n', 'UTF-8')
def secrets = new File(basedir, 'secrets').toPath()
Files.createDirectories(secrets)
if (Files.getFileStore(secrets).supportsFileAttributeView('posix')) {
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString('rwx------'))
}
return true
