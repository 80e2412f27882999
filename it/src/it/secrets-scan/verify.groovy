// Zero hits for any secret, in any form, in anything the builds left: every log line, every output
// file (archive entries unpacked), the manifests, the exception messages (in the -e/-X logs), and
// the surefire reports of this reactor's own tests.
import io.github.dpsplugin.core.common.Hashes
import io.github.dpsplugin.core.dice.DiceSha256
import io.github.dpsplugin.core.dice.FirmwareMeasurement
import io.github.dpsplugin.core.dice.Uds
import io.github.dpsplugin.core.firmware.FirmwareImage
import io.github.dpsplugin.core.riot.RiotKeys
import java.util.zip.ZipFile
import org.bouncycastle.asn1.DERBitString
import org.bouncycastle.asn1.sec.ECPrivateKey
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers

def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def vectors = new File(vectorsDir)
def hex = { byte[] b -> b.encodeHex().toString() }
def b64 = { byte[] b -> Base64.encoder.encodeToString(b) }
def be32 = { BigInteger d -> d.toString(16).padLeft(64, '0').decodeHex() }

// ---- the builds did what they should ----
def logs = Catalogue.invocations(basedir)
assert logs.size() == 6: "${logs.size()} invocations"
def expect = { int i, String text -> assert logs[i].contains(text): "invocation ${i + 1} lacks: ${text}" }
expect(0, 'BUILD SUCCESS')
expect(0, 'DPS certificates: 23 devices written to target/dps')
expect(1, 'udsFile: uds-swapped.csv:6: uds column: character at position 2 is not a hexadecimal digit')
expect(1, 'are the columns swapped?')
expect(2, "device 'az-c5590b4275a0v2v0v0' (#2 of <devices>): uds: environment variable DPS_IT_UDS_P09_BAD does not hold a valid UDS: character at position 64 is not a hexadecimal digit")
expect(3, "device 'devkit-test-01' (#3 of <devices>): registrationId: 'devkit-test-01' is listed more than once (also device 'devkit-test-01' (#1 of <devices>))")
def refused = 'uds: the parameter uds / property dps.uds is refused: a UDS written in a POM or on the command line'
expect(4, refused)
expect(5, refused)
(0..5).each { expect(it, '[DEBUG] ') }
['dps-2', 'dps-3', 'dps-4', 'dps-5', 'dps-6'].each { assert !new File(basedir, "target/${it}").exists(): "${it} was created" }
def out = new File(basedir, 'target/dps')
assert new File(out, 'devkit-test-01.pem').bytes == new File(vectors, 'P06/devkit-test-01.pem').bytes
assert new File(out, 'az-c5590b4275a0v2v0v0.pem').bytes == new File(vectors, 'P09/az-c5590b4275a0v2v0v0.pem').bytes

// ---- every secret of every device, in every form ----
def image = FirmwareImage.read(new File(vectors, 'firmware/fw-b.ino.bin').toPath(), new File(vectors, 'firmware/fw-b.ino.map').toPath())
def measurement = FirmwareMeasurement.of(image)
def udsValues = [Catalogue.UDS_P01, Catalogue.UDS_P08] + (0..<20).collect { Fleet.uds(it) }
def needles = [:] as LinkedHashMap   // text → what it is
def add = { String what, String s -> [s, s.toLowerCase(Locale.ROOT), s.toUpperCase(Locale.ROOT)].each { needles[it] = what } }
udsValues.each { u ->
    byte[] raw = u.decodeHex()
    add("UDS", u)
    add("UDS (base64)", b64(raw))
    byte[] dhUds = DiceSha256.digest(raw)
    add("DH(UDS)", hex(dhUds)); needles[b64(dhUds)] = 'DH(UDS) (base64)'
    def uds = Uds.fromHex(u)
    byte[] cdi = measurement.cdi(uds)
    add("CDI", hex(cdi)); needles[b64(cdi)] = 'CDI (base64)'
    add("H(CDI)", hex(Hashes.sha256(cdi)))
    def keys = RiotKeys.derive(uds, measurement)
    uds.close()
    [alias: keys.alias(), deviceId: keys.deviceId()].each { name, pair ->
        BigInteger d = pair.privateScalar()
        add("${name} private key", hex(be32(d)))
        add("${name} private key (unpadded)", d.toString(16))
        needles[b64(be32(d))] = "${name} private key (base64)"
        // SEC 1 ECPrivateKey as the device's alias-key.pem holds it
        def der = new ECPrivateKey(256, d, new DERBitString(pair.publicKeyUncompressed()), X9ObjectIdentifiers.prime256v1).getEncoded('DER')
        String pem = b64(der)
        needles[pem] = "${name} private key (PEM body)"
        pem.toList().collate(64)*.join().each { needles[it] = "${name} private key (PEM line)" }
    }
}
// the near-UDS of invocation 3: any 16 consecutive characters of it
def near = '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479'
(0..(near.length() - 16)).each { needles[near.substring(it, it + 16)] = 'part of the near-UDS' }
// the SEC 1 encoding above is the vectors' alias-key.pem: the PEM form searched for is the real one
def p06 = new File(vectors, 'P06/alias-key.pem').getText('US-ASCII').readLines()[1]
// Groovy's assert prints the values it compared, which here are secrets: check() prints only its message
def check = { boolean ok, String message -> if (!ok) throw new AssertionError(message) }
check(needles[p06] == 'alias private key (PEM body)', "the P06 alias key's PEM form is not among the needles")
check(needles.size() > 600, "only ${needles.size()} needles")

// ---- everything the builds left, and this reactor's test reports ----
def texts = [:]
texts['build.log'] = new File(basedir, 'build.log').bytes
new File(basedir, 'target').eachFileRecurse { f ->
    if (!f.isFile()) return
    texts[f.path] = f.bytes
    if (f.name.endsWith('.zip')) {
        def zip = new ZipFile(f)
        zip.entries().each { e -> texts["${f.path}!${e.name}"] = zip.getInputStream(e).bytes }
        zip.close()
    }
}
def reports = ['dps-core', 'dps-maven-plugin'].collect { new File(projectRoot, "${it}/target/surefire-reports") }.findAll { it.isDirectory() }
reports.each { dir -> dir.eachFileRecurse { f -> if (f.isFile()) texts[f.path] = f.bytes } }
if (reports.isEmpty()) {
    println 'NOTE: no surefire reports in this reactor (tests skipped); they were not scanned'
}
check(texts.keySet().any { it.endsWith('dps-manifest.json') }, 'no manifest scanned')
check(texts.keySet().any { it.contains('dps-certificates.zip!') }, 'no archive entry scanned')
int lines = 0
texts.each { name, bytes ->
    def text = new String(bytes, 'ISO-8859-1')
    lines += text.count('\n')
    needles.each { needle, what -> check(!text.contains(needle), "${what} found in ${name}") }
}
println "secrets-scan: ${needles.size()} secret forms, ${texts.size()} files (${lines} lines, ${reports.size()} report directories): no hit"
return true
