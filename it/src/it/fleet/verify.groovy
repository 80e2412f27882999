// The fleet: complete manifest, spot checks against the core library, shards that add up to the
// whole run byte for byte, thread count without effect on the bytes, fleet-style attachments.
import io.github.dpsplugin.core.DeviceCertificateGenerator
import io.github.dpsplugin.core.dice.Uds
import io.github.dpsplugin.core.id.RegistrationId
import io.github.dpsplugin.core.pem.PemLayout
import io.github.dpsplugin.core.x509.NoncePolicy
import java.util.zip.ZipFile

def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
def vectors = new File(vectorsDir)
def whole = new File(basedir, 'target/dps')
def slurp = { File dir -> new groovy.json.JsonSlurper().parse(new File(dir, 'dps-manifest.json')) }

// complete, in order: the POM device, then the 1000 devices of the file
def manifest = slurp(whole)
assert manifest.shard == null
def ids = manifest.devices*.registrationId
assert ids.size() == 1001
assert ids[0] == 'devkit-test-01'
assert ids.drop(1) == (0..<1000).collect { Fleet.id(it) }
assert manifest.devices[4].macAddress == 'c8:93:46:00:00:03'

// the POM device is vector P01; the file's devices are checked against dps-core itself
Checks.sameBytes(new File(whole, 'devkit-test-01.pem'), new File(vectors, 'P01/devkit-test-01.pem'))
def generator = DeviceCertificateGenerator.forFirmware(new File(vectors, 'firmware/fw-a.ino.bin').toPath(),
        new File(vectors, 'firmware/fw-a.ino.map').toPath(), NoncePolicy.DEVKIT)
[0, 1, 3, 7, 10, 499, 998, 999].each { i ->
    def id = Fleet.id(i)
    def uds = Uds.fromHex(Fleet.uds(i))
    def certs = generator.generate(RegistrationId.of(id), uds)
    uds.close()
    assert new File(whole, "${id}.pem").getText('US-ASCII') == certs.aliasCertificatePem(PemLayout.ONE_LINE)
    assert new File(whole, "${id}-deviceid.pem").getText('US-ASCII') == certs.deviceIdCertificatePem(PemLayout.ONE_LINE)
    assert manifest.devices[i + 1].aliasThumbprintSha1 == certs.aliasSha1Thumbprint()
}

// the archive holds every certificate file, byte for byte
def zip = new ZipFile(new File(whole, 'dps-certificates.zip'))
assert zip.size() == 2 * 1001
zip.entries().each { e -> assert zip.getInputStream(e).bytes == new File(whole, e.name).bytes }
zip.close()

// shards 1/2 and 2/2 together are the whole run: no overlap, no gap, same bytes
def s1 = new File(basedir, 'target/shard-1')
def s2 = new File(basedir, 'target/shard-2')
def m1 = slurp(s1)
def m2 = slurp(s2)
assert m1.shard == '1/2' && m2.shard == '2/2'
assert m1.devices.size() == 501 && m2.devices.size() == 500
assert (m1.devices*.registrationId + m2.devices*.registrationId).sort() == ids.sort()
assert (m1.devices + m2.devices).sort { it.registrationId } == manifest.devices.sort { it.registrationId }
def pems = { File dir -> dir.listFiles().findAll { it.name.endsWith('.pem') }.collectEntries { [it.name, it.bytes] } }
def wholePems = pems(whole)
assert wholePems.size() == 2002
def shardPems = pems(s1) + pems(s2)
assert shardPems.keySet() == wholePems.keySet()
wholePems.each { name, bytes -> assert shardPems[name] == bytes }

// one thread: identical bytes, manifest and archive included
def t1 = new File(basedir, 'target/one-thread')
assert new File(t1, 'dps-manifest.json').bytes == new File(whole, 'dps-manifest.json').bytes
assert new File(t1, 'dps-certificates.zip').bytes == new File(whole, 'dps-certificates.zip').bytes
assert pems(t1).collect { k, v -> [k, v.encodeHex().toString()] }.sort() == wholePems.collect { k, v -> [k, v.encodeHex().toString()] }.sort()

// fleets attach the manifest and the archive, not one artifact per device
def repo = new File(localRepositoryPath, 'com/example/devkit/fleet/1.0')
assert new File(repo, 'fleet-1.0-dps-manifest.json').isFile()
assert new File(repo, 'fleet-1.0-dps-certificates.zip').isFile()
assert !repo.list().any { it.endsWith('.pem') }

def log = Checks.log(basedir)
assert log.contains('DPS certificates: 1001 devices written to target/dps (nonce devkit')
assert log.contains('shard 1/2')
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', Fleet.uds(1), Fleet.uds(10)])
return true
