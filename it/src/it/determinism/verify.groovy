// Every run wrote the same files with the same bytes: certificates, manifest, archive.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
def vectors = new File(vectorsDir)
def runs = ['run-1', 'run-2', 'threads-4', 'locale-tr', 'locale-ja', 'tz-kiritimati', 'map-crlf']

// the settings took effect
def logs = Catalogue.invocations(basedir)
assert logs.size() == runs.size()
assert logs[0].contains('Finished at:') && !logs[0].contains('target/run-2')
assert logs[0] =~ /Finished at: \S+Z\n/
assert logs[3].contains('Default locale: tr_TR')
assert logs[4].contains('Default locale: ja_JP')
assert logs[5] =~ /Finished at: \S+\+14:00\n/
logs.eachWithIndex { log, i -> assert log.contains("DPS certificates: 202 devices written to target/${runs[i]} (nonce devkit)") }

def contents = { String run ->
    def dir = new File(basedir, "target/${run}")
    assert dir.isDirectory(): "no ${dir}"
    dir.listFiles().collectEntries { [it.name, it.bytes] }
}
def reference = contents('run-1')
assert reference.size() == 2 * 202 + 2: reference.keySet()
assert reference.containsKey('dps-manifest.json') && reference.containsKey('dps-certificates.zip')
runs.drop(1).each { run ->
    def other = contents(run)
    assert other.keySet() == reference.keySet(): "${run}: other files than run-1"
    reference.each { name, bytes -> assert Arrays.equals(other[name], bytes): "${run}/${name} differs from run-1/${name}" }
}

// and they are right: the POM devices are vectors P01 and P08
def out = new File(basedir, 'target/run-1')
Checks.sameBytes(new File(out, 'devkit-test-01.pem'), new File(vectors, 'P01/devkit-test-01.pem'))
Checks.sameBytes(new File(out, 'az-a0b1c2d3e4f5v1v3v7.pem'), new File(vectors, 'P08/az-a0b1c2d3e4f5v1v3v7.pem'))
Checks.noSecrets(basedir, [Catalogue.UDS_P01, Catalogue.UDS_P08, Fleet.uds(0), Fleet.uds(199)])
return true
