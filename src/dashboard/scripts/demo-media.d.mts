type Rgb = [number, number, number];
export function png(size: number, pixel: (x: number, y: number) => Rgb): Uint8Array;
export function checkerPng(rgb: Rgb, size?: number): Uint8Array;
export function solidPng(rgb: Rgb, size?: number): Uint8Array;
export function seedMedia(url: string, token: string, project: string, steps?: number): Promise<void>;
