// "Turn the phone to look around": the device's orientation (DeviceOrientationEvent alpha, beta,
// gamma, W3C DeviceOrientation Event spec §4.1: intrinsic Z-X'-Y'' rotations of the device frame
// in an east-north-up Earth frame) turned into the camera-to-world rotation of the viewer's
// WebGL space (y up, -z ahead). The device frame already is a camera frame (x right of the screen,
// y to its top, looking out of its back along -z); the screen's own rotation (landscape) is undone
// last. Pure: tested in test/web.vr.math.test.ts.
import { multiply, rotationX, rotationY, type Mat4 } from './gl.ts';

const DEG = Math.PI / 180;

export function rotationZ(a: number): Mat4 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return new Float32Array([c, s, 0, 0, -s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
}

/** Camera-to-world rotation for an orientation reading (degrees) and screen angle (degrees). */
export function deviceRotation(alpha: number, beta: number, gamma: number, screenAngle = 0): Mat4 {
  // Earth (x east, y north, z up) to WebGL world (x east, y up, -z north): -90° about x.
  const earthToWorld = rotationX(-90 * DEG);
  const device = multiply(multiply(rotationZ(alpha * DEG), rotationX(beta * DEG)), rotationY(gamma * DEG));
  return multiply(multiply(earthToWorld, device), rotationZ(-screenAngle * DEG));
}

/** The view matrix of a pure rotation: its transpose. */
export function transpose(m: Mat4): Mat4 {
  const o = new Float32Array(16);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) o[c * 4 + r] = m[r * 4 + c]!;
  return o;
}

/** Longitude (radians, to the right) the camera looks at: of its -z axis. */
export function forwardYaw(m: Mat4): number {
  return Math.atan2(-m[8]!, m[10]!);
}
