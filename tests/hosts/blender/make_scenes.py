"""Build the test project with bpy (run in its own process): python make_scenes.py PROJECT_DIR.

PROJECT_DIR/shot.blend: view layers ViewLayer, BG and Holdout (not rendered); cameras CamA and
CamB (the scene camera); frames 1-20 step 2; Cycles on CPU at 1280x720 50%; output
//render/shot_ as OpenEXR; a UDIM texture (relative), an image sequence (absolute), a missing
texture (relative), an absolute texture, a missing OpenVDB volume, and the object LibCube linked
from lib/library.blend, whose material uses //libtex/lib.png relative to the library's folder.
A second scene "Comp" has one view layer.
"""
import os
import sys

import bpy


def png(path, size=4):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image = bpy.data.images.new(os.path.basename(path), size, size)
    image.filepath_raw = path
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)


def image_material(name, image):
    material = bpy.data.materials.new(name)
    material.use_nodes = True
    node = material.node_tree.nodes.new("ShaderNodeTexImage")
    node.image = image
    return material


def build_library(root):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    png(os.path.join(root, "lib", "libtex", "lib.png"))
    lib_file = os.path.join(root, "lib", "library.blend")
    bpy.ops.wm.save_as_mainfile(filepath=lib_file)  # saved first so "//" paths are relative to it
    image = bpy.data.images.load("//libtex/lib.png")
    mesh = bpy.data.meshes.new("LibMesh")
    obj = bpy.data.objects.new("LibCube", mesh)
    mesh.materials.append(image_material("LibMat", image))
    bpy.context.scene.collection.objects.link(obj)
    bpy.ops.wm.save_as_mainfile(filepath=lib_file, relative_remap=True)
    return lib_file


def build_shot(root, lib_file):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    shot = os.path.join(root, "shot.blend")
    bpy.ops.wm.save_as_mainfile(filepath=shot)
    scene = bpy.context.scene
    scene.view_layers[0].name = "ViewLayer"
    scene.view_layers.new("BG")
    scene.view_layers.new("Holdout").use = False
    for name in ("CamA", "CamB"):
        obj = bpy.data.objects.new(name, bpy.data.cameras.new(name))
        scene.collection.objects.link(obj)
    scene.camera = bpy.data.objects["CamB"]
    scene.frame_start, scene.frame_end, scene.frame_step = 1, 20, 2
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.render.resolution_x, scene.render.resolution_y = 1280, 720
    scene.render.resolution_percentage = 50
    scene.render.filepath = "//render/shot_"
    scene.render.image_settings.file_format = "OPEN_EXR"

    for tile in (1001, 1002):
        png(os.path.join(root, "tex", "wood.%d.png" % tile))
    for frame in (1, 2, 3):
        png(os.path.join(root, "seq", "frame.%04d.png" % frame))
    png(os.path.join(root, "tex", "abs.png"))

    udim = bpy.data.images.load("//tex/wood.1001.png")
    udim.source = "TILED"
    udim.name = "WoodUDIM"
    seq = bpy.data.images.load(os.path.join(root, "seq", "frame.0001.png"))
    seq.source = "SEQUENCE"
    seq.name = "FrameSeq"
    absolute = bpy.data.images.load(os.path.join(root, "tex", "abs.png"))
    absolute.name = "AbsTex"
    missing = bpy.data.images.new("MissingTex", 4, 4)
    missing.source = "FILE"
    missing.filepath = "//tex/missing.png"
    mesh = bpy.data.meshes.new("Ground")
    ground = bpy.data.objects.new("Ground", mesh)
    scene.collection.objects.link(ground)
    for image in (udim, seq, absolute, missing):
        mesh.materials.append(image_material("M_" + image.name, image))
    volume = bpy.data.volumes.new("Smoke")
    volume.filepath = "//vdb/smoke.vdb"
    scene.collection.objects.link(bpy.data.objects.new("SmokeObj", volume))

    with bpy.data.libraries.load(lib_file, link=True, relative=True) as (source, target):
        target.objects = ["LibCube"]
    scene.collection.objects.link(target.objects[0])

    comp = bpy.data.scenes.new("Comp")
    comp.view_layers[0].name = "CompLayer"
    bpy.ops.wm.save_as_mainfile(filepath=shot, relative_remap=False)
    return shot


if __name__ == "__main__":
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]  # Blender: after "--"
    project = os.path.abspath(args[0])
    build_shot(project, build_library(project))
