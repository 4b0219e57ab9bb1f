rv_dcc sample placeholder: Houdini 20.5 scene
file: fx_smoke.hip
