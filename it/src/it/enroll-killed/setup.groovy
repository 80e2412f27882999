def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
Fleet.write(new File(basedir, "fleet"), 95)
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
StandIn.start(basedir, mavenHome)
return true
