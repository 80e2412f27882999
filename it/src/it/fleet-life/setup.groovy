// The fleet: three devices with explicit IDs and three whose IDs the DevKit derives from their MACs
// (spelled as a factory might), two more added at the third release; the releases' firmware as a
// project keeps it (releases/<version>/app.ino.bin, .map); an owner-only directory for the UDS files;
// a DPS stand-in.
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions

def fleet = new File(basedir, 'fleet')
fleet.mkdirs()
def first = 'registrationId,macAddress\n# line 1 of the factory\nline1-device-001,\n,C8:93:46:4A:1B:2C\n' +
        'line1-device-002,\n,c893464a1b2d\nline1-device-003,\n,c8-93-46-4a-1b-2e\n'
new File(fleet, 'devices.csv').setText(first, 'UTF-8')
def added = 'registrationId,macAddress\nline2-device-001,\n,C8:93:46:4A:1B:2F\n'
new File(fleet, 'all.csv').setText(first + added.substring(added.indexOf('\n') + 1), 'UTF-8')

['1.3.7': 'fw-a', '2.0.0': 'fw-b', '2.1.0': 'fw-c'].each { version, fw ->
    def dir = new File(basedir, "releases/${version}")
    dir.mkdirs()
    ['bin', 'map'].each { ext ->
        Files.copy(new File(vectorsDir, "firmware/${fw}.ino.${ext}").toPath(), new File(dir, "app.ino.${ext}").toPath(),
                StandardCopyOption.REPLACE_EXISTING)
    }
}

def secrets = new File(basedir, 'secrets').toPath()
Files.createDirectories(secrets)
if (Files.getFileStore(secrets).supportsFileAttributeView('posix')) {
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString('rwx------'))
}

// the DPS the releases are enrolled in (stopped at the end of verify.groovy)
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
StandIn.start(basedir, mavenHome)
return true
