// RFC 6979: every signature has its own r (with the DevKit nonce all r are equal); the certificates
// still verify under their DeviceID keys; the enrollment script and bulk bodies cover every device.
import java.security.cert.CertificateFactory
import org.bouncycastle.asn1.ASN1Integer
import org.bouncycastle.asn1.ASN1Sequence

def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def out = new File(basedir, 'target/dps')
def manifest = new groovy.json.JsonSlurper().parse(new File(out, 'dps-manifest.json'))
assert manifest.noncePolicy == 'rfc6979'
assert manifest.devices.size() == 50
def cf = CertificateFactory.getInstance('X.509')
def rs = [] as Set
manifest.devices.each { d ->
    def alias = cf.generateCertificate(new ByteArrayInputStream(Checks.der(new File(out, d.aliasCertificate))))
    def deviceId = cf.generateCertificate(new ByteArrayInputStream(Checks.der(new File(out, d.deviceIdCertificate))))
    alias.verify(deviceId.publicKey)
    deviceId.verify(deviceId.publicKey)
    [alias, deviceId].each { c -> rs << ((ASN1Integer) ASN1Sequence.getInstance(c.signature).getObjectAt(0)).value }
}
assert rs.size() == 100: 'every one of the 100 signatures has a distinct r'

// the POM device is P01's UDS and ID: same keys as the vector, but not the vector's (DEVKIT) signature
def p01 = new File(vectorsDir, 'P01/devkit-test-01.pem')
assert !Arrays.equals(Checks.der(new File(out, 'devkit-test-01.pem')), Checks.der(p01))
def ours = cf.generateCertificate(new ByteArrayInputStream(Checks.der(new File(out, 'devkit-test-01.pem'))))
def ref = cf.generateCertificate(new ByteArrayInputStream(Checks.der(p01)))
assert ours.publicKey == ref.publicKey && ours.TBSCertificate == ref.TBSCertificate

// dps-enroll.sh: one quoted az line per device, names from the POM
def script = new File(out, 'dps-enroll.sh').readLines()
assert script[0] == '#!/bin/sh'
assert script.contains("DPS_NAME='my-dps'") && script.contains("RESOURCE_GROUP='my-resource-group'")
def lines = script.findAll { it.startsWith('az iot dps enrollment create') }
assert lines.size() == 50
assert lines[0] == "az iot dps enrollment create --dps-name=\"\$DPS_NAME\" --resource-group=\"\$RESOURCE_GROUP\" --enrollment-id='devkit-test-01' --attestation-type x509 --certificate-path='devkit-test-01.pem'"
assert new File(out, 'dps-enroll.sh').canExecute()

// bulk bodies: 5 files of at most 10, in device order, carrying the alias certificates
def ids = []
(1..5).each { n ->
    def body = new groovy.json.JsonSlurper().parse(new File(out, String.format('dps-enrollments-%04d.json', n)))
    assert body.mode == 'create'
    assert body.enrollments.size() == 10
    body.enrollments.each { e ->
        assert e.attestation.type == 'x509'
        assert e.attestation.x509.clientCertificates.primary.certificate == new File(out, "${e.registrationId}.pem").getText('US-ASCII')
        ids << e.registrationId
    }
}
assert !new File(out, 'dps-enrollments-0006.json').exists()
assert ids == manifest.devices*.registrationId
def log = Checks.log(basedir)
assert !log.contains('fixed ECDSA nonce')
return true
