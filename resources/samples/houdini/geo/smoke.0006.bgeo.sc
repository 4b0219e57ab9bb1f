rv_dcc sample placeholder: smoke simulation cache frame 6
file: smoke.0006.bgeo.sc
