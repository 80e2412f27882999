// After release 2.0.0's rollout start, from the merged directory: new certificates enrolled, the current ones still accepted.
def Dps = new GroovyClassLoader(getClass().classLoader).parseClass(new File(basedir, 'Dps.groovy'))
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
Dps.check(basedir, StandIn.of(basedir), 'start')
return true
