rv_dcc sample placeholder: smoke simulation cache frame 7
file: smoke.0007.bgeo.sc
