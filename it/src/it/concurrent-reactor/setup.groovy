// each line its own 400 devices (line-a: 0..399, line-b: 400..799), same firmware
def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
['line-a': 0, 'line-b': 400].each { module, first ->
    def dir = new File(basedir, "${module}/fleet")
    Fleet.write(dir, first + 400)
    // keep only this line's devices (Fleet.write lists 0..n-1; the header and comment lines stay)
    def lines = new File(dir, 'devices.csv').getText('UTF-8').split('\n', -1) as List
    new File(dir, 'devices.csv').setText((lines.take(3) + lines.drop(3 + first)).join('\n'), 'UTF-8')
}
return true
