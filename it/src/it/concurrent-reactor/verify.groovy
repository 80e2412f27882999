// mvn -T 2: both modules ran at the same time on the same firmware, and each wrote exactly its own
// devices, byte-identical to the vectors and to dps-core computing them one by one.
import io.github.dpsplugin.core.DeviceCertificateGenerator
import io.github.dpsplugin.core.dice.Uds
import io.github.dpsplugin.core.id.RegistrationId
import io.github.dpsplugin.core.pem.PemLayout
import io.github.dpsplugin.core.x509.NoncePolicy

def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
def vectors = new File(vectorsDir)
def log = Checks.log(basedir)
assert log.contains('Using the MultiThreadedBuilder implementation with a thread count of 2')
assert log.count('fixed ECDSA nonce') == 1: 'one nonce warning per build, not per module'
// they overlapped: both goals started before either finished
int firstDone = log.indexOf('devices written to')
assert log.indexOf('generate (default) @ line-a') in 0..<firstDone
assert log.indexOf('generate (default) @ line-b') in 0..<firstDone

def vectorDevices = [
    'line-a': ['devkit-test-01': 'P01', 'devkit-zero-uds': 'P03', 'az-a0b1c2d3e4f5v1v3v7': 'P08'],
    'line-b': ['devkit-ff-uds': 'P05', 'az-a0b1c2d3e4f5v10v0v12': 'P11',
               'devkit-long-id-0123456789abcdefghijklmnopqrstuvwxyz01234567': 'P12'],
]
def fleetRange = ['line-a': 0..<400, 'line-b': 400..<800]
def generator = DeviceCertificateGenerator.forFirmware(new File(vectors, 'firmware/fw-a.ino.bin').toPath(),
        new File(vectors, 'firmware/fw-a.ino.map').toPath(), NoncePolicy.DEVKIT)

vectorDevices.each { module, expected ->
    def out = new File(basedir, "${module}/target/dps")
    assert log.contains("DPS certificates: 403 devices written to target/dps (nonce devkit)")
    expected.each { id, vector -> Checks.sameBytes(new File(out, "${id}.pem"), new File(vectors, "${vector}/${id}.pem")) }
    def manifest = new groovy.json.JsonSlurper().parse(new File(out, 'dps-manifest.json'))
    def ids = manifest.devices*.registrationId
    assert ids == expected.keySet().toList() + fleetRange[module].collect { Fleet.id(it) }
    // every fleet device, against the library
    fleetRange[module].each { i ->
        def uds = Uds.fromHex(Fleet.uds(i))
        def certs = generator.generate(RegistrationId.of(Fleet.id(i)), uds)
        uds.close()
        assert new File(out, "${Fleet.id(i)}.pem").getText('US-ASCII') == certs.aliasCertificatePem(PemLayout.ONE_LINE)
        assert new File(out, "${Fleet.id(i)}-deviceid.pem").getText('US-ASCII') == certs.deviceIdCertificatePem(PemLayout.ONE_LINE)
    }
    // nothing of the other line
    def other = module == 'line-a' ? 'line-b' : 'line-a'
    vectorDevices[other].keySet().each { id -> assert !new File(out, "${id}.pem").exists() || vectorDevices[module].containsKey(id) }
    assert out.list().length == 2 * 403 + 2
    Checks.noSecrets(new File(basedir, module), ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                                               '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b', Fleet.uds(0), Fleet.uds(799)])
}
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', Fleet.uds(1)])
return true
