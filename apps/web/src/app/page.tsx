import { ProductionsPage } from './productions.tsx';

export default function Home() {
  return <ProductionsPage />;
}
