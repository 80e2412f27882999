import java.time.Duration

def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
dps.resetCounts()
// the query and two bulk writes pass, the rest wait on 429s (on this machine all ten would be done
// before the kill lands otherwise); Maven is killed right after the second write request
dps.quota(3, Duration.ofMinutes(5))
StandIn.killMavenAfter(basedir, StandIn.WRITES, 2)
return true
