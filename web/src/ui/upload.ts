import { getToken, setSession } from '../app/session';
import { ApiError, toProblem } from './problem';

export interface UploadProgress {
  /** Bytes sent so far and in all; `done` once the last byte left and the server is working. */
  loaded: number;
  total: number;
  done: boolean;
}

/**
 * POSTs a file to the API with XMLHttpRequest, whose upload events report real progress (fetch has
 * no upload progress in browsers without request streaming). The answer is JSON or a problem+json,
 * like every other call of the console. The typed client (openapi-fetch) cannot do this; this is the
 * one place the console calls the API without it, and it is typed by the caller's `T`.
 */
export function uploadWithProgress<T>(
  path: string,
  body: Blob,
  opts: { contentType: string; headers?: Record<string, string>; onProgress: (p: UploadProgress) => void },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const token = getToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', opts.contentType);
    for (const [k, v] of Object.entries(opts.headers ?? {})) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) =>
      opts.onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : body.size, done: false });
    xhr.upload.onload = () => opts.onProgress({ loaded: body.size, total: body.size, done: true });
    xhr.onerror = () => reject(new ApiError({ detail: 'network error', status: 0 }));
    xhr.onload = () => {
      let parsed: unknown = xhr.responseText;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        /* not JSON: kept as text for the problem's detail */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else {
        if (xhr.status === 401) setSession(null);
        reject(new ApiError(toProblem(parsed, xhr.status)));
      }
    };
    xhr.send(body);
  });
}

/** Share of the upload sent, 0..1 (an empty file counts as sent). */
export function sentShare(p: UploadProgress | null): number {
  if (!p) return 0;
  return p.total > 0 ? Math.min(1, p.loaded / p.total) : 1;
}
