"""Build a scene the embedded farm can render and a test can recognise (run with bpy in its own
process): python make_farm_scene.py PROJECT_DIR.

PROJECT_DIR/farm_shot.blend, looked at from above by an orthographic camera ("TopCam", 16 x 9
units, 1920x1080): a green emissive plane fills the left half of the frame (x < 0); a red cube
on the right whose emission colour comes from the image file PROJECT_DIR/tex/red.png (stored
relative, "//tex/red.png", so the farm reads the uploaded copy) moves right over frames 1-3
(centre x = 2.5, 4, 5.5). The world is black and the view transform "Standard", so the colours
reach the PNG unchanged. Cycles on the CPU, 8 samples.
"""
import os
import sys

import bpy

#: the cube's centre x per frame (one unit is 20 px in the farm's 320x180 render)
CUBE_X = {1: 2.5, 2: 4.0, 3: 5.5}


def write_red_png(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image = bpy.data.images.new("red_src", 8, 8)
    image.pixels[:] = [1.0, 0.0, 0.0, 1.0] * 64
    image.filepath_raw = path
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)


def emission_material(name, color=None, image=None):
    material = bpy.data.materials.new(name)
    material.use_nodes = True
    nodes, links = material.node_tree.nodes, material.node_tree.links
    nodes.clear()
    out = nodes.new("ShaderNodeOutputMaterial")
    emission = nodes.new("ShaderNodeEmission")
    emission.inputs["Strength"].default_value = 1.0
    if image is not None:
        texture = nodes.new("ShaderNodeTexImage")
        texture.image = image
        links.new(texture.outputs["Color"], emission.inputs["Color"])
    else:
        emission.inputs["Color"].default_value = color
    links.new(emission.outputs["Emission"], out.inputs["Surface"])
    return material


def mesh_object(name, verts, faces, material):
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(verts, [], faces)
    mesh.materials.append(material)
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def build(root):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    path = os.path.join(root, "farm_shot.blend")
    write_red_png(os.path.join(root, "tex", "red.png"))
    bpy.ops.wm.save_as_mainfile(filepath=path)  # saved first so "//" paths are relative to it
    scene = bpy.context.scene
    world = bpy.data.worlds.new("Black")
    world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Color"].default_value = (0, 0, 0, 1)
    scene.world = world

    green = emission_material("Green", color=(0.0, 1.0, 0.0, 1.0))
    mesh_object("GreenPlane", [(-9, -5, 0), (0, -5, 0), (0, 5, 0), (-9, 5, 0)], [(0, 1, 2, 3)], green)

    red = emission_material("RedTex", image=bpy.data.images.load("//tex/red.png"))
    h = 1.5
    verts = [(x, y, z) for x in (-h, h) for y in (-h, h) for z in (-h, h)]
    faces = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    cube = mesh_object("RedCube", verts, faces, red)
    cube.location = (CUBE_X[1], 0, 2)
    for frame, x in CUBE_X.items():
        cube.location.x = x
        cube.keyframe_insert("location", index=0, frame=frame)

    camera_data = bpy.data.cameras.new("TopCam")
    camera_data.type = "ORTHO"
    camera_data.ortho_scale = 16.0
    camera = bpy.data.objects.new("TopCam", camera_data)
    camera.location = (0, 0, 10)  # no rotation: looks down -Z
    scene.collection.objects.link(camera)
    scene.camera = camera

    scene.frame_start, scene.frame_end, scene.frame_step = 1, 3, 1
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = 8
    scene.render.resolution_x, scene.render.resolution_y, scene.render.resolution_percentage = 1920, 1080, 100
    scene.render.filepath = "//render/farm_shot_"
    scene.render.image_settings.file_format = "PNG"
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    bpy.ops.wm.save_as_mainfile(filepath=path, relative_remap=True)


if __name__ == "__main__":
    build(os.path.abspath(sys.argv[1]))
