// generate-uds made a new owner-only file in the UDS file format, generate read it unchanged (every
// certificate is the one of that device's new UDS), the file was not overwritten, a shard selects
// as generate does, bad input fails by name, and no UDS appears in any (-X) log or output.
import io.github.dpsplugin.core.DeviceCertificateGenerator
import io.github.dpsplugin.core.dice.Uds
import io.github.dpsplugin.core.id.RegistrationId
import io.github.dpsplugin.core.pem.PemLayout
import io.github.dpsplugin.core.x509.NoncePolicy
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def vectors = new File(vectorsDir)
def secrets = new File(basedir, 'secrets')
// Groovy's assert prints the values it compared, which here may be secrets: check() prints only its message
def check = { boolean ok, String message -> if (!ok) throw new AssertionError(message) }

def logs = Catalogue.invocations(basedir)
assert logs.size() == 9: "${logs.size()} invocations"
def expect = { int i, String text -> assert logs[i].contains(text): "invocation ${i + 1} lacks: ${text}" }
(0..8).each { expect(it, '[DEBUG] ') }

// ---- 1: the file ----
// a line names its device by registration ID, or by MAC (keys here: "mac <12 hex>") when its ID is derived
def read = { String name ->
    def lines = new File(secrets, name).getText('US-ASCII').split('\n', -1).toList()
    check(lines[0] == 'registrationId,macAddress,uds', "${name}: header")
    check(lines.last() == '', "${name}: ends with a line break")
    lines.subList(1, lines.size() - 1).collectEntries { l ->
        def f = l.split(',', -1)
        check(f.length == 3 && f[0].isEmpty() != f[1].isEmpty(), "${name}: a line has an ID or a MAC")
        [f[0] ?: "mac ${f[1]}".toString(), f[2]]
    }
}
def keys = (1..5).collect { "line1-device-00${it}".toString() } + ['mac c893464a1b2c']
def idOf = { String key, String version -> key.startsWith('mac ') ? "az-${key.substring(4)}v${version.replace('.', 'v')}".toString() : key }
def ids = keys.collect { idOf(it, '2.0.0') }
def uds = read('uds.csv')
check(uds.keySet().toList() == keys, "uds.csv: IDs ${uds.keySet()}")
check(uds.values().every { it ==~ /[0-9a-f]{64}/ }, 'uds.csv: a value is not 64 lower-case hex digits')
check(uds.values().toSet().size() == 6, 'uds.csv: values repeat')
if (Files.getFileStore(secrets.toPath()).supportsFileAttributeView('posix')) {
    assert PosixFilePermissions.toString(Files.getPosixFilePermissions(new File(secrets, 'uds.csv').toPath())) == 'rw-------'
    assert PosixFilePermissions.toString(Files.getPosixFilePermissions(new File(secrets, 'uds-shard-2.csv').toPath())) == 'rw-------'
}
assert secrets.list().toList().sort() == ['uds-added.csv', 'uds-shard-2.csv', 'uds.csv']: "left in secrets/: ${secrets.list()}"
expect(0, 'BUILD SUCCESS')
expect(0, "DPS UDS file: 6 new UDS values written to ${new File(secrets, 'uds.csv')} (readable by its owner only)")
expect(0, 'CI secret store')
expect(0, "type set_dps_uds <uds> on its serial console")
expect(0, 'run generate with it')

// ---- 2: generate read it: each certificate is that of the device's new UDS ----
expect(1, 'BUILD SUCCESS')
expect(1, 'DPS certificates: 6 devices written to target/dps (nonce devkit)')
def out = new File(basedir, 'target/dps')
def generator = DeviceCertificateGenerator.forFirmware(new File(vectors, 'firmware/fw-a.ino.bin').toPath(),
        new File(vectors, 'firmware/fw-a.ino.map').toPath(), NoncePolicy.DEVKIT)
uds.each { key, hex ->
    def id = idOf(key, '2.0.0')
    def u = Uds.fromHex(hex)
    def certs = generator.generate(RegistrationId.of(id), u)
    u.close()
    check(new File(out, "${id}.pem").getText('US-ASCII') == certs.aliasCertificatePem(PemLayout.ONE_LINE), "${id}.pem")
    check(new File(out, "${id}-deviceid.pem").getText('US-ASCII') == certs.deviceIdCertificatePem(PemLayout.ONE_LINE),
            "${id}-deviceid.pem")
}
def manifest = new groovy.json.JsonSlurper().parse(new File(out, 'dps-manifest.json'))
assert manifest.devices*.registrationId == ids

// ---- 3: never overwritten (the certificates above match the file as it is now) ----
expect(2, 'BUILD FAILURE')
expect(2, "udsFile: ${new File(secrets, 'uds.csv')} exists already; a UDS file is only ever created new, never overwritten or appended to")

// ---- 4: shard 2/2 takes positions 1, 3, 5, as generate would; fresh values ----
def shard = read('uds-shard-2.csv')
check(shard.keySet().toList() == [keys[1], keys[3], keys[5]], "shard 2/2: IDs ${shard.keySet()}")
check(shard.values().every { it ==~ /[0-9a-f]{64}/ } && shard.values().toSet().size() == 3, 'shard 2/2: values')
check(!shard.values().any { uds.values().contains(it) }, 'shard 2/2 repeats a value of uds.csv')
expect(3, 'DPS UDS file: 3 new UDS values written to')

// ---- 5, 6: refusals by name, nothing written ----
expect(4, 'BUILD FAILURE')
expect(4, "device bad-devices.csv:3: macAddress: 'C8:93:46:4A:1B'")
expect(5, 'BUILD FAILURE')
expect(5, "udsFile: the directory ${new File(basedir, 'no-such-dir')} does not exist")
assert !new File(basedir, 'no-such-dir').exists()

// ---- 7, 8: devices added with a second file; the next release reads both files, neither edited ----
expect(6, 'DPS UDS file: 2 new UDS values written to')
def added = read('uds-added.csv')
check(added.keySet().toList() == ['line2-device-001', 'mac c893464a1b2d'], "uds-added.csv: IDs ${added.keySet()}")
expect(7, 'BUILD SUCCESS')
expect(7, 'DPS certificates: 8 devices written to target/dps-2.1.0 (nonce devkit)')
def out210 = new File(basedir, 'target/dps-2.1.0')
(uds + added).each { key, hex ->
    def id = idOf(key, '2.1.0')
    def u = Uds.fromHex(hex)
    def certs = generator.generate(RegistrationId.of(id), u)
    u.close()
    check(new File(out210, "${id}.pem").getText('US-ASCII') == certs.aliasCertificatePem(PemLayout.ONE_LINE), "2.1.0: ${id}.pem")
}

// ---- 9: a device in two UDS files: refused, naming both lines ----
expect(8, 'BUILD FAILURE')
expect(8, 'udsFile: uds-shard-2.csv:2: the registrationId of this line is also on uds.csv:3; expected each device in one UDS file')
assert !new File(basedir, 'target/dps-9').exists()

// ---- no UDS anywhere, in hex or base64: build.log (all six -X builds) and everything under target/ ----
def values = uds.values() + shard.values() + added.values()
Checks.noSecrets(basedir, values + values.collect { Base64.encoder.encodeToString(it.decodeHex()) })
return true
