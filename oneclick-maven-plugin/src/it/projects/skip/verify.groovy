def log = new File(basedir, 'build.log').text
['deploy', 'plan', 'status', 'destroy', 'install-skills'].each { goal ->
    assert log.contains("Skipping oneclick:${goal} (oneclick.skip=true)") : "oneclick:${goal} logs its skip"
}
assert !new File(basedir, 'target/oneclick').exists()
// the generated help goal lists every goal
assert log.contains('This plugin has 6 goals:')
['deploy', 'plan', 'status', 'destroy', 'install-skills', 'help'].each { goal ->
    assert log =~ /(?m)^oneclick:${goal}$/ : "oneclick:help lists oneclick:${goal}"
}
assert !new File(basedir, '.claude').exists()
return true
