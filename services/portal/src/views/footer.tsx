import type { FaceView } from './face-view.js';

/** MIIT's filing lookup: the ICP number must link here by regulation. */
const ICP_LOOKUP = 'https://beian.miit.gov.cn/';

export function SiteFooter({ face }: { face: FaceView }) {
  const { icp, publicSecurity, contact, address } = face.footer;
  return (
    <footer class="site-footer">
      <div class="wrap">
        <p>
          <strong>{face.siteName}</strong>
        </p>
        {contact || address ? (
          <address>
            {contact ? <p>联系方式：{contact}</p> : null}
            {address ? <p>地址：{address}</p> : null}
          </address>
        ) : null}
        {icp || publicSecurity ? (
          <p class="records">
            {icp ? (
              <a href={ICP_LOOKUP} rel="noopener">
                {icp}
              </a>
            ) : null}
            {publicSecurity ? <span>{publicSecurity}</span> : null}
          </p>
        ) : null}
      </div>
    </footer>
  );
}
