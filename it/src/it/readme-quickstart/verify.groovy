// The README's front door, run as a newcomer would run it. Every command block of README.md marked
// <!-- run: NAME --> (all but the Quick start's) is executed, in README order, as one bash script:
// a block marked file=PATH is written to that file instead (the POM). What stands in for the
// newcomer's machine:
//   - the clone: a directory holding the repository files the commands copy (the sample firmware);
//   - `mvn`: the Maven running these ITs (its bin/mvn first on the PATH);
//   - the home directory: a scratch one (HOME and Maven's user.home), so ~/.m2/settings.xml and
//     settings-security.xml are written there, as the README tells the newcomer to;
//   - ~/.m2/repository: the ITs' local repository, where the invoker installed the plugin as the
//     Quick start's first command installs it into the newcomer's (-Dmaven.repo.local);
//   - Maven Central: the build's own local repository, as a mirror of every remote repository
//     (a global settings file, through MAVEN_ARGS), so that nothing comes from the network.
// Not executed here: the Quick start's two commands build this very project (the sample-firmware
// IT is the first one's build, and the second is the full suite, step 1 of .ci/run): checked to be
// exactly those. The az CLI and dps:enroll examples need an Azure DPS and are not marked.
import io.github.dpsplugin.core.DeviceCertificateGenerator
import io.github.dpsplugin.core.dice.Uds
import io.github.dpsplugin.core.id.RegistrationId
import io.github.dpsplugin.core.pem.PemLayout
import io.github.dpsplugin.core.x509.NoncePolicy
import java.nio.file.Files
import java.util.concurrent.TimeUnit

def root = new File(projectRoot).canonicalFile
def readme = new File(root, 'README.md').getText('UTF-8')
def check = { boolean ok, String message -> if (!ok) throw new AssertionError(message) }

// ---- the marked blocks ----
def blocks = []
def lines = readme.split('\n', -1)
for (int i = 0; i < lines.length; i++) {
    def m = lines[i] =~ /^<!-- run: ([a-z-]+)(?: file=(\S+))? -->$/
    if (!m.matches()) continue
    int open = i + 1
    check(open < lines.length && lines[open].startsWith('```'), "README.md:${i + 1}: a run marker must stand right before a fenced block")
    int close = open + 1
    while (close < lines.length && lines[close] != '```') close++
    check(close < lines.length, "README.md:${open + 1}: unterminated block")
    blocks << [name: m.group(1), file: m.group(2), lang: lines[open].substring(3).trim(), line: open + 1,
               text: lines[(open + 1)..<close].join('\n')]
}
def names = blocks*.name.unique()
check(names == ['quickstart', 'first-project', 'fleets', 'verifying'], "marked blocks: ${names}")

// ---- the Quick start: the commands CI runs anyway ----
def quick = blocks.findAll { it.name == 'quickstart' }
def commands = quick.collectMany { b -> b.text.readLines().collect { it.replaceAll(/\s+#.*$/, '').trim() }.findAll() }
check(commands == ['./mvnw -B -ntp install -DskipTests -Dinvoker.test=sample-firmware',
                   'ls it/target/it/sample-firmware/target/dps/',
                   './mvnw -B -ntp verify'], "the Quick start's commands changed: ${commands}; update this IT")
check(new File(root, 'it/src/it/sample-firmware/pom.xml').isFile(), 'the sample-firmware IT is gone')
check(new File(root, '.ci/run').getText('UTF-8').readLines().contains('./mvnw -B -ntp verify'),
        ".ci/run no longer runs the README's test command")

// ---- everything else: one script, run in a stand-in of the clone ----
def work = new File(basedir, 'work')
work.deleteDir()
def clone = new File(work, 'dps-maven-plugin')
def home = new File(work, 'home')
def bin = new File(work, 'bin')
[clone, home, bin].each { it.mkdirs() }
def script = new StringBuilder('set -euo pipefail\n')
blocks.findAll { it.name != 'quickstart' }.each { b ->
    script << "echo '>>> README.md:${b.line} (${b.name})'\n"
    if (b.file) {
        check(!b.text.contains('DPS_README_BLOCK'), "README.md:${b.line}: the block contains the heredoc delimiter")
        script << "cat > '${b.file}' <<'DPS_README_BLOCK'\n${b.text}\nDPS_README_BLOCK\n"
    } else {
        check(b.lang == 'sh', "README.md:${b.line}: a run block without file= must be sh, not '${b.lang}'")
        script << b.text << '\n'
    }
}
// the repository files the commands read (cp <path> ...): copied into the stand-in clone
(script =~ /(?m)\bcp\s+(\S+)/).each { match ->
    def source = new File(root, match[1])
    if (source.isFile()) {
        def copy = new File(clone, match[1])
        copy.parentFile.mkdirs()
        Files.copy(source.toPath(), copy.toPath())
    }
}
def scriptFile = new File(work, 'readme.sh')
scriptFile.text = script.toString()

def mavenHome = System.getProperty('maven.home')
check(mavenHome != null && new File(mavenHome, 'bin/mvn').canExecute(), "no Maven at maven.home=${mavenHome}")
Files.createSymbolicLink(new File(bin, 'mvn').toPath(), new File(mavenHome, 'bin/mvn').toPath())
def repo = binding.hasVariable('localRepositoryPath') ? new File(localRepositoryPath.toString())
        : new File(basedir, '../../local-repo').canonicalFile
check(new File(repo, 'io/github/dpsplugin/dps-maven-plugin').isDirectory(), "the plugin is not installed in ${repo}")

def pb = new ProcessBuilder('bash', scriptFile.absolutePath).directory(clone).redirectErrorStream(true)
        .redirectOutput(new File(basedir, 'readme.log'))
def env = pb.environment()
env.keySet().removeAll(env.keySet().findAll { it.startsWith('MAVEN_') || it == 'M2_HOME' })
env.PATH = bin.absolutePath + File.pathSeparator + env.PATH
env.HOME = home.absolutePath
env.MAVEN_OPTS = "-Duser.home=${home.absolutePath} -Dmaven.repo.local=${repo.absolutePath}".toString()
def globalSettings = new File(work, 'global-settings.xml')
globalSettings.text = """<settings><mirrors><mirror><id>build-repository</id><mirrorOf>*</mirrorOf>
<url>${new File(buildRepository.toString()).toURI()}</url></mirror></mirrors></settings>\n"""
env.MAVEN_ARGS = "-gs ${globalSettings.absolutePath}".toString()
env.MAVEN_SKIP_RC = 'true'
env.JAVA_HOME = System.getProperty('java.home')
def process = pb.start()
check(process.waitFor(8, TimeUnit.MINUTES), 'the README commands did not finish in 8 minutes')
def log = new File(basedir, 'readme.log').getText('UTF-8')
check(process.exitValue() == 0, "the README's commands failed (exit ${process.exitValue()}); see ${basedir}/readme.log:\n"
        + log.readLines().takeRight(40).join('\n'))

// ---- what the newcomer has now ----
def project = new File(work, 'my-devkit')
def udsLines = new File(project, 'secrets/uds.csv').getText('US-ASCII').readLines()
check(udsLines.size() == 2 && udsLines[0] == 'registrationId,macAddress,uds' && udsLines[1].startsWith('my-devkit-001,,'),
        'secrets/uds.csv: one line for my-devkit-001')
def uds = udsLines[1].split(',', -1)[2]
def settings = new File(home, '.m2/settings.xml').getText('UTF-8')
check(settings.contains('<id>uds-my-devkit-001</id>') && (settings =~ /<password>\{[^}]+\}<\/password>/).find(),
        'settings.xml holds the encrypted UDS as the server password')
check(!settings.contains(uds), 'settings.xml holds the UDS in plain text')
check(new File(home, '.m2/settings-security.xml').getText('UTF-8').startsWith('<settingsSecurity><master>{'),
        'settings-security.xml holds an encrypted master password')

def out = new File(project, 'target/dps')
def generator = DeviceCertificateGenerator.forFirmware(
        new File(root, 'dps-core/src/test/resources/vectors/firmware/fw-a.ino.bin').toPath(),
        new File(root, 'dps-core/src/test/resources/vectors/firmware/fw-a.ino.map').toPath(), NoncePolicy.DEVKIT)
def u = Uds.fromHex(uds)
def certs = generator.generate(RegistrationId.of('my-devkit-001'), u)
u.close()
check(new File(out, 'my-devkit-001.pem').getText('US-ASCII') == certs.aliasCertificatePem(PemLayout.ONE_LINE),
        'target/dps/my-devkit-001.pem is the certificate of the UDS that generate-uds wrote')
check(new File(out, 'my-devkit-001-deviceid.pem').isFile(), 'the DeviceID certificate')

// the fleet: the POM's device first, then the three of devices.csv, each with its UDS file line
def manifest = new File(out, 'dps-manifest.json').getText('UTF-8')
def ids = (manifest =~ /"registrationId"\s*:\s*"([^"]+)"/).collect { it[1] }
check(ids == ['my-devkit-001', 'line1-device-001', 'az-c893464a1b2cv2v0v0', 'az-c893464a1b2dv2v0v0'], "manifest lists ${ids}")
check(new File(out, 'dps-certificates.zip').isFile(), 'the fleet archive')
def fleetUds = new File(project, 'secrets/fleet-uds.csv').getText('US-ASCII').readLines().drop(1).collect { it.split(',', -1)[2] }
check(fleetUds.size() == 3, 'secrets/fleet-uds.csv: three devices')

// verify ran on the last build, found every certificate right, and the prefix worked without pluginGroups
check(!settings.contains('pluginGroup'), 'the dps: prefix must work without pluginGroups inside the project')
def report = new File(project, 'target/dps-verify/dps-verify.json').getText('UTF-8')
def verdicts = (report =~ /"ok"\s*:\s*(true|false)/).collect { it[1] }
check(verdicts.size() == 5 && verdicts.every { it == 'true' }, "verify: four certificates and the verdict pass: ${verdicts}")

// no UDS in anything the commands printed or wrote outside secrets/
([uds] + fleetUds).each { s ->
    [s, s.toUpperCase(Locale.ROOT)].each { n ->
        if (log.contains(n)) throw new AssertionError('a UDS appears in readme.log')
        out.eachFileRecurse { f -> if (f.isFile() && new String(f.bytes, 'ISO-8859-1').contains(n)) throw new AssertionError("a UDS appears in ${f}") }
    }
}
true
