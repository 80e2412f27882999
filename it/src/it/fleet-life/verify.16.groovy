// After release 2.1.0's rollout start: the same, and the two added devices enrolled.
def Dps = new GroovyClassLoader(getClass().classLoader).parseClass(new File(basedir, 'Dps.groovy'))
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
Dps.check(basedir, StandIn.of(basedir), 'start', ['line2-device-001', 'az-c893464a1b2fv2v1v0'])
return true
