import groovy.json.JsonSlurper

// the killed run: some of the fleet enrolled, not all
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
def ids = new JsonSlurper().parse(new File(basedir, 'target/dps/dps-manifest.json')).devices*.registrationId
assert ids.size() == 95
def enrolled = ids.count { dps.stored(it).isPresent() }
assert enrolled >= 10 && enrolled <= 20: "${enrolled} enrolled by the killed run: ${dps.requests()}"
dps.quota(0, null)
dps.resetCounts()
return true
