def log = new File(basedir, 'build.log').text
['deploy', 'plan', 'status', 'destroy', 'install-skills'].each { goal ->
    assert log.contains("Skipping oneclick:${goal} (oneclick.skip=true)") : "oneclick:${goal} logs its skip"
}
assert !new File(basedir, 'target/oneclick').exists()
assert !new File(basedir, '.claude').exists()
return true
