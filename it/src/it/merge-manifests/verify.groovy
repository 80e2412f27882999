// The three shards merged are the whole run's output directory, byte for byte (manifest, certificates, archive);
// merged into the directory holding the whole run's output, every file stays; an incomplete set is refused.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
def slurp = { File f -> new groovy.json.JsonSlurper().parse(f) }

def whole = new File(basedir, 'target/whole/dps-manifest.json')
def merged = new File(basedir, 'target/merged/dps-manifest.json')
def shards = (1..3).collect { new File(basedir, "target/shards/dps-shard-${it}/dps-manifest.json") }
assert shards.collect { slurp(it).shard } == ['1/3', '2/3', '3/3']
assert shards.collect { slurp(it).devices.size() } == [17, 17, 16]
assert slurp(whole).devices.size() == 50
assert merged.bytes == whole.bytes
def tree = { File dir ->
    def files = new TreeMap<String, String>()
    dir.eachFileRecurse(groovy.io.FileType.FILES) { f ->
        files[dir.toPath().relativize(f.toPath()).toString()] = f.bytes.encodeHex().toString()
    }
    files
}
def wholeTree = tree(whole.parentFile)
assert wholeTree.size() == 1 + 2 * 50 + (new File(whole.parentFile, 'dps-certificates.zip').exists() ? 1 : 0)
assert tree(merged.parentFile).keySet() == wholeTree.keySet()
assert tree(merged.parentFile) == wholeTree

def logs = Catalogue.invocations(basedir)
assert logs.size() == 8
assert logs[4].contains('DPS merge-manifests: 3 shards, 50 devices merged into')
assert logs[5].contains('shard 2/3 is missing; the fleet was split into 3')
assert logs[6].contains('DPS merge-manifests: 3 shards, 50 devices merged into')
// the POM device's UDS is in settings.xml, the others' in the UDS file: verify takes each from where generate
// took it, so every certificate is recomputed; and the POM's devices (its device, the devices file) are all in
assert logs[7].contains("DPS verify: 50 certificates: 50 recomputed; report: ")
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/verify-merged/dps-verify.json'))
assert report.statuses.recomputed == 50 && report.statuses.mismatch == 0 && report.statuses.missing == 0
assert report.uds == "udsFile uds.csv, 1 listed device's own udsServerId/udsEnv"
assert !new File(basedir, 'target/incomplete/dps-manifest.json').exists()
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', Fleet.uds(1), Fleet.uds(10)])
return true
