// Shared assertions of the invoker ITs (loaded by each verify.groovy).
import java.nio.file.Files
import java.security.MessageDigest

class Checks {

    /** The DER inside the first PEM block of a file. */
    static byte[] der(File pem) {
        def text = pem.getText('US-ASCII')
        def m = text =~ /(?s)-----BEGIN ([A-Z ]+)-----\r?\n(.+?)\r?\n-----END \1-----/
        assert m.find(): "no PEM block in ${pem}"
        return Base64.mimeDecoder.decode(m.group(2))
    }

    static void sameDer(File actual, File expected) {
        assert actual.isFile(): "missing ${actual}"
        assert Arrays.equals(der(actual), der(expected)): "${actual} does not carry the DER of ${expected}"
    }

    static void sameBytes(File actual, File expected) {
        assert actual.isFile(): "missing ${actual}"
        assert Arrays.equals(actual.bytes, expected.bytes): "${actual} differs from ${expected}"
    }

    static String thumbprint(String algorithm, File pem) {
        MessageDigest.getInstance(algorithm).digest(der(pem)).encodeHex().toString().toUpperCase(Locale.ROOT)
    }

    /**
     * Neither the build log nor any file the build wrote under target/ (outputs, manifest,
     * reports) contains any of the secrets, in either case.
     */
    static void noSecrets(File basedir, Collection<String> secrets) {
        def needles = secrets.collectMany { [it, it.toLowerCase(Locale.ROOT), it.toUpperCase(Locale.ROOT)] } as Set
        def files = [new File(basedir, 'build.log')].findAll { it.exists() }
        def target = new File(basedir, 'target')
        if (target.exists()) {
            target.eachFileRecurse { if (it.isFile()) files << it }
        }
        files.each { File f ->
            def text = new String(f.bytes, 'ISO-8859-1')
            // not assert: Groovy's message would print the UDS it found
            needles.each { n -> if (text.contains(n)) throw new AssertionError("a UDS appears in ${f}") }
        }
    }

    /** The output directory holds no certificate. */
    static void noPem(File dir) {
        if (dir.exists()) {
            def pems = []
            dir.eachFileRecurse { if (it.name.endsWith('.pem')) pems << it }
            assert pems.isEmpty(): "certificates were written although the build failed: ${pems}"
        }
    }

    static String log(File basedir) {
        new File(basedir, 'build.log').getText('UTF-8')
    }

    /** Stands for the outputs of an earlier, successful run; a failing build must leave it as it is. */
    static final String PREVIOUS_RUN = '{"previous": "run"}\n'

    static void writePreviousRun(File basedir) {
        def out = new File(basedir, 'target/dps')
        out.mkdirs()
        new File(out, 'dps-manifest.json').setText(PREVIOUS_RUN, 'UTF-8')
    }

    /** A failed build: the message is in the log, no certificate was written, the earlier output is untouched. */
    static void failedCleanly(File basedir, List<String> expectedMessages) {
        def log = log(basedir)
        assert log.contains('BUILD FAILURE')
        expectedMessages.each { assert log.contains(it): "build.log lacks: ${it}" }
        def out = new File(basedir, 'target/dps')
        noPem(out)
        assert new File(out, 'dps-manifest.json').getText('UTF-8') == PREVIOUS_RUN
        assert out.list().toList() == ['dps-manifest.json']: "left behind: ${out.list()}"
    }
}
